// The queue (#queue): the tasks waiting in my teams' queues, each with Claim.
// It follows the stream: a task queued (TASK_QUEUED) appears, and one that
// someone else claimed goes, since their claim marks my TASK_QUEUED read
// (`event: read`); a light poll covers what no event says (a notification
// read before the claim). A claim that comes second says who has it.
import { api, ApiError, SessionEnded } from "./api.js";
import { byId, dueEl, el } from "./dom.js";
import { PRIORITY_LABELS } from "./labels.js";
import { attempt, toast } from "./toast.js";

const POLL_MS = 30000;

/** Who has a task that could not be claimed (a 409 already_claimed): their
 * name, from the id the refusal names, else its message's words. */
export function claimedBy(err, userName) {
  const said = [].concat((err.fields && err.fields.assigned_to) || []).join(" ");
  const id = /\(user (\d+)\)/.exec(said);
  if (id) return userName(Number(id[1]));
  const named = /claimed by (.+)$/.exec(err.message || "");
  return named ? named[1] : "someone else";
}

/** Whether a stream event may change the queue: a task queued, or
 * notifications read elsewhere (a claim marks the others' TASK_QUEUED read). */
export function touchesQueue(type, data) {
  if (type === "read") return true;
  if (type !== "notification") return false;
  return JSON.parse(data).notification_type === "TASK_QUEUED";
}

/** Claim a task: the task, now the caller's, or undefined (said why). */
export async function claimTask(task, store) {
  try {
    const claimed = await api("POST", `/tasks/${task.id}/claim/`);
    toast(`“${claimed.title}” is yours now.`);
    store.emit("task-changed", claimed);
    store.emit("tasks-stale");
    return claimed;
  } catch (err) {
    if (err instanceof SessionEnded) return undefined;
    if (err instanceof ApiError && err.status === 409 && err.fields.assigned_to) {
      const who = claimedBy(err, (id) => store.userName(id));
      toast(who === "you" ? "You have it already." : `Too late: ${who} has it.`, true);
      store.emit("tasks-stale");
    } else {
      toast(err.message, true);
    }
    return undefined;
  }
}

export class Queue {
  #timer = null;
  #poll = null;
  #asked = 0;

  constructor(store, stream) {
    this.store = store;
    stream.on("event", ({ type, data }) => touchesQueue(type, data) && this.#schedule());
    for (const event of ["tasks-stale", "task-changed"]) store.on(event, () => this.#schedule());
    store.on("signed-in", () => this.#schedule());
    store.on("signed-out", () => {
      clearTimeout(this.#timer);
      clearInterval(this.#poll);
      byId("queue-list").replaceChildren();
      this.#count(0);
    });
  }

  get #shown() {
    return !byId("queue-view").hidden;
  }

  async show() {
    clearInterval(this.#poll);
    this.#poll = setInterval(() => {
      if (!this.#shown) clearInterval(this.#poll);
      else attempt(() => this.#load());
    }, POLL_MS);
    // The teams may have changed since sign-in (an admin added me).
    await attempt(() => this.#load(true));
  }

  #schedule() {
    clearTimeout(this.#timer);
    if (!this.store.me) return;
    this.#busy(true);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      attempt(() => this.#load());
    }, 300);
  }

  /** aria-busy on the list while a reload is on its way. */
  #busy(on) {
    byId("queue-list").setAttribute("aria-busy", String(on));
  }

  /** withTeams: read the teams too. */
  async #load(withTeams = false) {
    const asked = ++this.#asked;
    this.#busy(true);
    try {
      await this.#fill(asked, withTeams);
    } finally {
      if (asked === this.#asked && !this.#timer) this.#busy(false);
    }
  }

  async #fill(asked, withTeams) {
    const [page, teamPage] = await Promise.all([
      api("GET", "/tasks/?queue=mine&ordering=-priority&limit=200"),
      withTeams ? api("GET", "/teams/?limit=200") : null,
    ]);
    if (teamPage) this.store.setTeams(teamPage.results);
    if (asked !== this.#asked) return;
    this.#count(page.count);
    byId("queue-list").replaceChildren(...page.results.map((task) => this.#row(task)));
    const teams = this.store.myTeams().map((t) => t.name);
    byId("queue-note").textContent = teams.length
      ? `Tasks given to ${teams.join(", ")} that nobody has taken yet. Claim one to make it yours.`
      : "You are in no team yet: an admin adds you to one on the Teams page.";
    const empty = byId("queue-empty");
    empty.hidden = page.results.length > 0;
    empty.textContent = teams.length
      ? "Nothing waiting. Tasks for your teams appear here as they are queued."
      : "No queue to show.";
  }

  /** The count beside the Queue link. */
  #count(n) {
    const badge = byId("queue-count");
    badge.textContent = String(n);
    badge.hidden = n === 0;
  }

  #row(task) {
    const claim = el(
      "button",
      {
        type: "button",
        className: "btn small primary",
        "aria-label": `Claim ${task.title}`,
        onclick: () => this.#claim(task, claim),
      },
      "Claim",
    );
    return el(
      "li",
      { className: "task queued", "data-id": task.id },
      el(
        "div",
        { className: "task-main" },
        el("a", { className: "task-title", href: `#task/${task.id}` }, task.title),
        el(
          "div",
          { className: "task-meta" },
          el("span", { className: "chip team" }, this.store.teamName(task.assigned_team)),
          el("span", { className: `chip p-${task.priority}` }, PRIORITY_LABELS[task.priority]),
          dueEl(task, false),
          el("span", {}, `from ${this.store.userName(task.created_by)}`),
          task.client_id !== null ? el("a", { href: `#client/${task.client_id}` }, "Client's case") : null,
        ),
      ),
      claim,
    );
  }

  async #claim(task, button) {
    button.disabled = true;
    const claimed = await claimTask(task, this.store);
    button.disabled = false;
    if (claimed) button.closest("li").remove();
    await attempt(() => this.#load());
  }
}
