// The queue (#queue): the tasks waiting in my teams' queues, each with Claim.
// It follows the stream: `event: queue` says a task entered or left one of my
// teams' queues (whoever claimed it, whether or not I had read my
// TASK_QUEUED): a task that left goes at once, and the queue is read again.
// A light poll covers what no event says (a team I joined or left). A claim
// that comes second says who has it. Also: claiming and releasing a task
// (the task dialog's buttons) and who may release one.
import { api, ApiError, SessionEnded } from "./api.js";
import { byId, dueEl, el } from "./dom.js";
import { isDone, PRIORITY_LABELS } from "./labels.js";
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

/** What a stream event does to my queue: null when nothing; else
 * {taskId, queued} (`event: queue`: the task entered or left the queue of
 * one of my teams, as the server said it). */
export function queueChange(type, data) {
  if (type !== "queue") return null;
  const body = JSON.parse(data);
  return { taskId: body.task_id, teamId: body.team_id, queued: body.queued === true };
}

/** Whether me may put a task back in its team's queue (as the server
 * decides: its assignee, a lead of its team, an admin), when it is someone's,
 * has a team and is not done. team: the task's team ({lead_ids}), if known. */
export function releaseShown(task, meId, team, isAdmin) {
  if (task.assigned_team === null || task.assigned_to === null || isDone(task)) return false;
  return isAdmin || task.assigned_to === meId || Boolean(team && team.lead_ids.includes(meId));
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

/** Put a task back in its team's queue: the task, now nobody's, or
 * undefined (said why). */
export async function releaseTask(task, store) {
  const released = await attempt(() => api("POST", `/tasks/${task.id}/release/`));
  if (!released) return undefined;
  toast(`“${released.title}” is back in the ${store.teamName(released.assigned_team)} queue.`);
  store.emit("task-changed", released);
  store.emit("tasks-stale");
  return released;
}

export class Queue {
  #timer = null;
  #poll = null;
  #asked = 0;

  constructor(store, stream) {
    this.store = store;
    stream.on("event", ({ type, data }) => this.#follow(queueChange(type, data)));
    // Back after a gap in the stream: what it missed is not replayed.
    let was = stream.conn;
    stream.on("conn", (conn) => {
      if (conn === "live" && was === "reconnecting") this.#schedule();
      was = conn;
    });
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

  /** A task entered or left one of my teams' queues: one that left goes at
   * once; the queue is read again (the count, a task that came); an open
   * task dialog hears of it ("queue-changed"). */
  #follow(change) {
    if (!change) return;
    if (!change.queued) {
      const row = byId("queue-list").querySelector(`li[data-id="${change.taskId}"]`);
      if (row) {
        row.remove();
        const badge = byId("queue-count");
        this.#count(Math.max(0, Number(badge.textContent) - 1));
        byId("queue-empty").hidden = byId("queue-list").children.length > 0;
      }
    }
    this.store.emit("queue-changed", change);
    this.#schedule();
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
