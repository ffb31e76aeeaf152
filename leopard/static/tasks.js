// The tasks panel: my open tasks, all mine, or those I created (#task-list),
// each with its status to change in place.
import { api } from "./api.js";
import { byId, dueEl, el } from "./dom.js";
import { isDone, plural, PRIORITY_LABELS, STATUS_LABELS } from "./labels.js";
import { attempt, toast } from "./toast.js";

const OPEN_STATUSES = "PENDING,IN_PROGRESS";

/** The query of the list for a view ("open", "all" or "created"). */
export function taskQuery(view, meId) {
  const query = new URLSearchParams({ limit: "100" });
  if (view === "created") {
    query.set("created_by", String(meId));
    query.set("ordering", "-created_at");
  } else {
    query.set("assigned_to", "me");
    query.set("ordering", "due_date");
    if (view === "open") query.set("status", OPEN_STATUSES);
  }
  return query;
}

export class Tasks {
  #timer = null;
  #asked = 0; // the latest list asked for: an older answer is dropped

  /** onNew: what the "New task" button opens. */
  constructor(store, { onNew }) {
    this.store = store;
    byId("task-view").addEventListener("change", () => attempt(() => this.load()));
    byId("new-task").addEventListener("click", onNew);
    store.on("task-touched", () => this.scheduleRefresh());
    store.on("tasks-stale", () => this.scheduleRefresh());
    store.on("task-created", (task) => {
      // Show the new task: "Assigned to me" lists it only when it is mine.
      if (task.assigned_to !== store.me.id) byId("task-view").value = "created";
      attempt(() => this.load());
    });
    store.on("signed-out", () => {
      clearTimeout(this.#timer);
      byId("task-list").replaceChildren();
    });
  }

  get #view() {
    return byId("task-view").value;
  }

  async load() {
    const asked = ++this.#asked;
    const view = this.#view;
    const page = await api("GET", `/tasks/?${taskQuery(view, this.store.me.id)}`);
    // Another view chosen meanwhile (or a reload after a change): its answer
    // is the one to show, whichever arrives last.
    if (asked !== this.#asked) return;
    byId("task-list").replaceChildren(...page.results.map((task) => this.#render(task)));
    const empty = byId("task-empty");
    empty.hidden = page.results.length > 0;
    empty.textContent =
      view === "created"
        ? "You have not created any tasks yet."
        : "Nothing assigned to you. Enjoy the quiet.";
  }

  scheduleRefresh() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => attempt(() => this.load()), 250);
  }

  #render(task) {
    const id = `task-status-${task.id}`;
    const select = el(
      "select",
      { id, className: "task-status" },
      Object.entries(STATUS_LABELS).map(([value, label]) =>
        el("option", { value, selected: value === task.status }, label),
      ),
    );
    select.value = task.status;
    select.addEventListener("change", () => this.#changeStatus(task, select));
    const meta = [
      el("span", { className: `chip p-${task.priority}` }, PRIORITY_LABELS[task.priority]),
      dueEl(task, isDone(task)),
      this.#view === "created" ? `For ${this.store.userName(task.assigned_to)}` : null,
      task.comment_count ? plural(task.comment_count, "comment") : null,
    ];
    return el(
      "li",
      { className: `task${isDone(task) ? " done" : ""}`, "data-id": task.id },
      el(
        "div",
        { className: "task-main" },
        el("a", { className: "task-title", href: `#task/${task.id}` }, task.title),
        el(
          "div",
          { className: "task-meta" },
          // Each part its own element: adjacent text would run together.
          meta.filter(Boolean).map((part) => (typeof part === "string" ? el("span", {}, part) : part)),
        ),
      ),
      el("label", { for: id, className: "sr-only" }, `Status of ${task.title}`),
      select,
    );
  }

  async #changeStatus(task, select) {
    select.disabled = true;
    const updated = await changeStatus(task, select.value, this.store);
    select.disabled = false;
    if (!updated) {
      select.value = task.status;
      return;
    }
    Object.assign(task, updated);
    const li = select.closest("li");
    if (li) li.classList.toggle("done", isDone(updated));
  }
}

/** PATCH a task's status and say so; the updated task, or undefined. Others
 * hear of it as "task-changed" through the store. */
export async function changeStatus(task, status, store) {
  const updated = await attempt(() => api("PATCH", `/tasks/${task.id}/`, { status }));
  if (!updated) return undefined;
  toast(`“${updated.title}” is now ${STATUS_LABELS[updated.status].toLowerCase()}.`);
  store.emit("task-changed", updated);
  return updated;
}
