// One task (#task-dialog): its facts, status and assignee to change, whether
// the assignee saw it, and its comments.
import { api, SessionEnded } from "./api.js";
import { ago, calendarDay, clockTime, expiryWords, today } from "./dates.js";
import { byId, dueEl, el, fillSelect, timeEl } from "./dom.js";
import {
  clientName,
  codeLabel,
  isDone,
  mentionParts,
  PRIORITY_LABELS,
  visaName,
} from "./labels.js";
import { freshUsers } from "./away.js";
import { claimTask, releaseShown, releaseTask } from "./queue.js";
import { fetchComments, loadRefs } from "./task-reads.js";
import { changeStatus } from "./tasks.js";
import { attempt, toast } from "./toast.js";

/** The creator and the assigner see whether the assignee got it. */
export function receiptShown(task, meId) {
  return (
    task.assigned_to !== null &&
    task.assigned_to !== meId &&
    (meId === task.created_by || meId === task.assigned_by)
  );
}

/** "Not seen yet by Bob", "Seen by Bob at 10:42 · read at 10:45". */
export function receiptText(task, who, at = clockTime) {
  if (!task.assignee_seen_at) return `Not seen yet by ${who}`;
  const seen = `Seen by ${who} at ${at(task.assignee_seen_at)}`;
  return task.assignee_read_at ? `${seen} · read at ${at(task.assignee_read_at)}` : seen;
}

export class TaskDialog {
  #task = null; // the open task
  #refs = { client: null, visa: null }; // what it is about
  #onClose;
  #asked = false; // closed by close(), for the router

  /** onClose: called when the dialog closes (the router clears the address). */
  constructor(store, { onClose }) {
    this.store = store;
    this.#onClose = onClose;
    byId("td-status").addEventListener("change", () => this.#changeStatus());
    byId("td-assignee").addEventListener("change", () => this.#changeAssignee());
    byId("td-claim").addEventListener("click", () => this.#claim());
    byId("td-release").addEventListener("click", () => this.#release());
    byId("comment-form").addEventListener("submit", (event) => this.#addComment(event));
    byId("comment-body").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        byId("comment-form").requestSubmit();
      }
    });
    byId("task-dialog").addEventListener("close", () => {
      // The close event comes later than close(): a close the router asked
      // for (its address has moved on) clears no address, and one that
      // arrives after the dialog opened again is old news.
      const asked = this.#asked;
      this.#asked = false;
      if (byId("task-dialog").open) return;
      this.#task = null;
      if (!asked) onClose();
    });
    store.on("task-touched", (id) => this.#task && this.#task.id === id && this.#refresh());
    // Claimed, released or moved by someone else: Claim and Release follow.
    store.on("queue-changed", ({ taskId }) => this.#task && this.#task.id === taskId && this.#refresh());
    store.on("users", () => this.#task && this.#fillAssignees(this.#task)); // who is away
    store.on("task-changed", (task) => {
      if (!this.#task || this.#task.id !== task.id) return;
      this.#task = task;
      byId("td-status").value = task.status;
      this.#renderFacts(task);
    });
  }

  async show(taskId) {
    const dialog = byId("task-dialog");
    byId("task-error").hidden = true;
    try {
      const [task, comments, refs] = await this.#read(taskId);
      this.#fillAssignees(task);
      attempt(() => freshUsers(this.store)); // who is away now
      this.#show(task, comments, refs);
      byId("task-title").textContent = task.title;
      byId("task-detail").textContent = task.detail;
      byId("task-detail").hidden = !task.detail;
      if (!dialog.open) {
        dialog.showModal();
        byId("task-title").setAttribute("tabindex", "-1");
        byId("task-title").focus();
      }
    } catch (err) {
      if (err instanceof SessionEnded) return;
      toast(err.status === 404 ? "That task no longer exists." : err.message, true);
      this.#onClose();
    }
  }

  #fillAssignees(task) {
    fillSelect(byId("td-assignee"), this.store.userChoices(true), assigneeValue(task));
  }

  /** Close it for the router: the address names something else already. */
  close() {
    const dialog = byId("task-dialog");
    if (dialog.open) {
      this.#asked = true;
      dialog.close();
    }
  }

  async #read(taskId) {
    const [task, comments] = await Promise.all([
      api("GET", `/tasks/${taskId}/`),
      fetchComments(taskId),
    ]);
    return [task, comments, await loadRefs(task)];
  }

  #show(task, comments, refs) {
    this.#refs = refs;
    this.#task = task;
    byId("td-status").value = task.status;
    byId("td-assignee").value = assigneeValue(task);
    this.#renderFacts(task);
    byId("comment-list").replaceChildren(...comments.map((c) => this.#renderComment(c)));
    this.#renderDocuments(refs.documents);
  }

  /** The client's documents, with their expiry in the office's words. */
  #renderDocuments(documents) {
    byId("task-documents").hidden = documents.length === 0;
    const now = today(Date.now(), this.store.calendar.timezone);
    byId("task-document-list").replaceChildren(
      ...documents.map((doc) => {
        const words = doc.expires_on ? expiryWords(doc.expires_on, now) : null;
        return el(
          "li",
          { className: words && words.expired ? "overdue" : null },
          el("span", { className: "kind" }, codeLabel(doc.kind)),
          words ? `${words.text} (${calendarDay(doc.expires_on)})` : "no expiry",
        );
      }),
    );
  }

  async #refresh() {
    const taskId = this.#task.id;
    await attempt(async () => {
      const [task, comments, refs] = await this.#read(taskId);
      if (this.#task && this.#task.id === taskId) this.#show(task, comments, refs);
    });
  }

  #renderFacts(task) {
    const fact = (label, value) => el("div", {}, el("dt", {}, label), el("dd", {}, value));
    const me = this.store.me && this.store.me.id;
    const facts = [
      fact("Priority", PRIORITY_LABELS[task.priority]),
      fact("Due", task.due_date ? dueEl(task, isDone(task)) : "No due date"),
      fact("Created by", this.store.userName(task.created_by)),
      task.assigned_team !== null ? fact("Team", this.store.teamName(task.assigned_team)) : null,
      task.delegated_from !== null
        ? fact("Standing in for", `${this.store.userName(task.delegated_from)}, who is away`)
        : null,
      task.assigned_by ? fact("Assigned by", this.store.userName(task.assigned_by)) : null,
      task.client_id !== null ? fact("Client", this.#refName(task.client_id, "client")) : null,
      task.visa_application_id !== null
        ? fact("Visa application", this.#refName(task.visa_application_id, "visa"))
        : null,
      receiptShown(task, me)
        ? fact("Receipt", receiptText(task, this.store.userName(task.assigned_to)))
        : null,
    ];
    // replaceChildren would write a null as the text "null".
    byId("task-facts").replaceChildren(...facts.filter(Boolean));
    // Waiting in a team's queue: its members may claim it.
    const team = task.assigned_team !== null && this.store.teams.get(task.assigned_team);
    byId("td-claim").hidden = !(task.assigned_to === null && team && team.member_ids.includes(me));
    byId("td-release").hidden = !releaseShown(task, me, team, this.store.isAdmin);
  }

  /** The client's or the application's name, linking to its case page. */
  #refName(id, kind) {
    const ref = this.#refs[kind];
    const known = ref && ref.id === id;
    if (kind === "client") {
      return el("a", { href: `#client/${id}` }, known ? clientName(ref) : `Client #${id}`);
    }
    return el("a", { href: `#visa/${id}` }, known ? visaName(ref) : `Visa application #${id}`);
  }

  #renderComment(comment) {
    const known = this.store.knownUsernames();
    const body = mentionParts(comment.body, known).map((part) =>
      part.mention ? el("span", { className: "mention" }, part.mention) : part.text,
    );
    return el(
      "li",
      { "data-id": comment.id },
      el(
        "div",
        { className: "comment-head" },
        el("strong", {}, this.store.userName(comment.author_id)),
        timeEl(comment.created_at, ago(comment.created_at)),
      ),
      el("p", { className: "comment-body" }, body),
    );
  }

  async #changeStatus() {
    const task = this.#task;
    const select = byId("td-status");
    if (!task || select.value === task.status) return;
    select.disabled = true;
    const updated = await changeStatus(task, select.value, this.store);
    select.disabled = false;
    if (!updated) select.value = task.status;
    this.store.emit("tasks-stale");
  }

  async #changeAssignee() {
    const task = this.#task;
    const select = byId("td-assignee");
    if (!task) return;
    const value = select.value === "" ? null : Number(select.value);
    if (value === task.assigned_to) return;
    select.disabled = true;
    const updated = await attempt(() =>
      value === null
        ? api("PATCH", `/tasks/${task.id}/`, { assigned_to: null })
        : api("POST", `/tasks/${task.id}/assign/`, { assigned_to: value }),
    );
    select.disabled = false;
    if (!updated) {
      select.value = assigneeValue(task);
      return;
    }
    this.#task = updated;
    this.#renderFacts(updated);
    toast(`Assigned to ${this.store.userName(updated.assigned_to)}.`);
    this.store.emit("tasks-stale");
  }

  async #claim() {
    const button = byId("td-claim");
    button.disabled = true;
    const claimed = this.#task && (await claimTask(this.#task, this.store));
    button.disabled = false;
    if (!claimed || !this.#task || this.#task.id !== claimed.id) return;
    this.#task = claimed;
    byId("td-assignee").value = assigneeValue(claimed);
    this.#renderFacts(claimed);
  }

  async #release() {
    const button = byId("td-release");
    button.disabled = true;
    const released = this.#task && (await releaseTask(this.#task, this.store));
    button.disabled = false;
    if (!released || !this.#task || this.#task.id !== released.id) return;
    this.#task = released;
    byId("td-assignee").value = assigneeValue(released);
    this.#renderFacts(released);
  }

  async #addComment(event) {
    event.preventDefault();
    const task = this.#task;
    const box = byId("comment-body");
    const body = box.value.trim();
    if (!task || !body) {
      box.focus();
      return;
    }
    const submit = byId("comment-form").querySelector("[type=submit]");
    submit.disabled = true;
    const comment = await attempt(() => api("POST", `/tasks/${task.id}/comments/`, { body }));
    submit.disabled = false;
    if (!comment) return;
    box.value = "";
    const list = byId("comment-list");
    if (!list.querySelector(`li[data-id="${comment.id}"]`)) list.append(this.#renderComment(comment));
    this.store.emit("tasks-stale");
  }
}

const assigneeValue = (task) => (task.assigned_to === null ? "" : String(task.assigned_to));
