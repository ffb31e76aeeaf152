// A visa application's checklist on its case's page: how far it is (the
// application's `checklist` counts) and its tasks, each ticked off in place.
// The case page (case-view.js) owns where it goes; this builds it.
import { dueEl, el } from "./dom.js";
import { isDone } from "./labels.js";
import { changeStatus } from "./tasks.js";

/** "2 of 5 done", or null when the application has no tasks. */
export function checklistWords(checklist) {
  const total = checklist ? checklist.open + checklist.done : 0;
  return total ? `${checklist.done} of ${total} done` : null;
}

/** A checklist's tasks in the order they were made (a template's order). */
export const checklistOrder = (tasks) => [...tasks].sort((a, b) => a.id - b.id);

/** Who has a task: "Tom Becker", "Waiting in Intake", "Nobody yet". */
export function holderWords(task, userName, teamName) {
  if (task.assigned_to !== null) return userName(task.assigned_to);
  if (task.assigned_team !== null && task.assigned_team !== undefined) {
    return `Waiting in ${teamName(task.assigned_team)}`;
  }
  return "Nobody yet";
}

/** Whether `me` may change a task: its creator, its assignee, an admin. */
export const mayChange = (task, me) =>
  me.role === "admin" || task.created_by === me.id || task.assigned_to === me.id;

/** The checklist of application `visa` with its `tasks`; `open`: shown
 * unfolded; onToggle(open) when the person folds or unfolds it. */
export function renderChecklist(visa, tasks, store, { open, onToggle }) {
  const words = checklistWords(visa.checklist);
  if (!words) return null;
  const { done, open: left } = visa.checklist;
  const details = el(
    "details",
    { className: "checklist", open },
    el(
      "summary",
      {},
      el("span", { className: "checklist-label" }, "Checklist"),
      el("span", { className: "checklist-count" }, words),
      el("progress", {
        value: done,
        max: done + left,
        "aria-label": `Checklist of ${visa.visa_type}: ${words}`,
      }),
    ),
    el(
      "ul",
      { className: "checklist-items" },
      checklistOrder(tasks).map((task) => item(task, store)),
    ),
  );
  details.addEventListener("toggle", () => onToggle(details.open));
  return details;
}

function item(task, store) {
  const done = isDone(task);
  const allowed = mayChange(task, store.me);
  const box = el("input", {
    type: "checkbox",
    checked: done,
    "aria-label": `Done: ${task.title}`,
    disabled: task.status === "CANCELLED" || !allowed,
    title: allowed ? null : "Only its creator, its assignee or an admin can change it.",
  });
  box.addEventListener("change", async () => {
    box.disabled = true;
    const updated = await changeStatus(task, box.checked ? "COMPLETED" : "PENDING", store);
    box.disabled = false;
    if (!updated) box.checked = done; // refused or failed: as it was
  });
  const holder = holderWords(task, (id) => store.userName(id), (id) => store.teamName(id));
  return el(
    "li",
    { className: `checklist-item${done ? " done" : ""}`, "data-id": task.id },
    box,
    el(
      "div",
      { className: "checklist-body" },
      el("a", { className: "task-title", href: `#task/${task.id}` }, task.title),
      el(
        "span",
        { className: "case-meta" },
        task.status === "CANCELLED" ? "Cancelled · " : "",
        holder,
      ),
      dueEl(task, done),
    ),
  );
}
