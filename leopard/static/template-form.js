// The template dialog (#template-dialog), for admins: a template's name, the
// visa type and status it starts on, whether it is active, and its task rows
// (title, priority, due in business days, assign to, details), added and
// removed in place. The body it sends is template-rows.js's.
import { api, SessionEnded } from "./api.js";
import { VISA_STATUSES } from "./case-bodies.js";
import { byId, el, fillSelect, showAlert } from "./dom.js";
import { codeLabel, PRIORITY_LABELS, userOption } from "./labels.js";
import { assignChoices, assignValue, MAX_TASKS, problemWords, templateBody } from "./template-rows.js";
import { toast } from "./toast.js";

const BLANK = {
  title: "",
  detail: "",
  priority: "MEDIUM",
  due_in_business_days: null,
  assign_to: "application_assignee",
  tags: [],
};

export class TemplateForm {
  #editing = null; // the template being edited, or null for a new one
  #serial = 0; // makes each row's ids unique
  #tags = new WeakMap(); // row → its tags (kept as they are; not shown)
  #onSaved;

  /** onSaved(template): after a template was created or changed. */
  constructor(store, { onSaved }) {
    this.store = store;
    this.#onSaved = onSaved;
    fillSelect(
      byId("tpl-status"),
      VISA_STATUSES.map((s) => ({ value: s, label: codeLabel(s) })),
    );
    byId("tpl-add").addEventListener("click", () => {
      const row = this.#addRow(BLANK);
      row.querySelector(".tpl-title").focus();
    });
    byId("template-form").addEventListener("submit", (event) => this.#save(event));
  }

  /** Open for a new template (none given) or to edit `template`. */
  open(template = null) {
    this.#editing = template;
    byId("template-form-heading").textContent = template ? `Edit “${template.name}”` : "New template";
    byId("tpl-name").value = template ? template.name : "";
    byId("tpl-visa-type").value = template && template.visa_type ? template.visa_type : "";
    byId("tpl-status").value = template ? template.on_status : "VISA_APPLIED";
    byId("tpl-active").checked = template ? template.active : true;
    byId("tpl-tasks").replaceChildren();
    for (const task of template ? template.tasks : [BLANK]) this.#addRow(task);
    showAlert(byId("template-error"), "");
    byId("template-dialog").showModal();
    byId("tpl-name").focus();
  }

  #addRow(task) {
    const n = ++this.#serial;
    const id = (name) => `tpl-${name}-${n}`;
    const field = (name, label, control, extra = null) =>
      el("div", { className: "field" }, el("label", { for: id(name) }, label, extra), control);
    const priority = el(
      "select",
      { id: id("priority"), className: "tpl-priority" },
      Object.entries(PRIORITY_LABELS).map(([value, label]) => el("option", { value }, label)),
    );
    priority.value = task.priority;
    const days = el("input", {
      id: id("days"),
      className: "tpl-days",
      type: "number",
      min: 1,
      max: 366,
      step: 1,
      inputmode: "numeric",
      placeholder: "No due date",
      value: task.due_in_business_days ?? "",
    });
    const row = el(
      "li",
      { className: "tpl-task" },
      el(
        "fieldset",
        {},
        el("legend", {}),
        field(
          "title",
          "Title",
          el("input", { id: id("title"), className: "tpl-title", maxlength: 200, value: task.title }),
        ),
        el(
          "div",
          { className: "tpl-row" },
          field("priority", "Priority", priority),
          field("days", "Due in business days", days),
          field("assign", "Assign to", this.#assignSelect(id("assign"), task.assign_to)),
        ),
        field(
          "detail",
          "Details",
          el(
            "textarea",
            { id: id("detail"), className: "tpl-detail", rows: 2, maxlength: 10000 },
            task.detail,
          ),
          el("span", { className: "muted" }, " (optional)"),
        ),
        el("button", {
          type: "button",
          className: "btn small ghost tpl-remove",
          onclick: () => this.#removeRow(row),
        }),
      ),
    );
    this.#tags.set(row, task.tags || []);
    byId("tpl-tasks").append(row);
    this.#renumber();
    return row;
  }

  #assignSelect(id, assign) {
    const users = this.store.usersForPicker();
    const teams = [...this.store.teams.values()];
    const groups = assignChoices(users, teams, (u) => userOption(u, this.store.me.id));
    const option = (o) => el("option", { value: o.value }, o.label);
    const select = el(
      "select",
      { id, className: "tpl-assign" },
      groups.flatMap((g) =>
        g.label ? [el("optgroup", { label: g.label }, g.options.map(option))] : g.options.map(option),
      ),
    );
    const value = assignValue(assign);
    if (![...select.options].some((o) => o.value === value)) {
      // Someone no longer active, or a team since deleted: kept, and named.
      const [kind, who] = value.split(":");
      const name = kind === "team" ? this.store.teamName(Number(who)) : this.store.userName(Number(who));
      select.append(el("option", { value }, `${name} (no longer available)`));
    }
    select.value = value;
    return select;
  }

  #removeRow(row) {
    const rows = [...byId("tpl-tasks").children];
    const at = rows.indexOf(row);
    row.remove();
    this.#renumber();
    const next = byId("tpl-tasks").children[Math.min(at, rows.length - 2)];
    (next ? next.querySelector(".tpl-title") : byId("tpl-add")).focus();
  }

  /** Each row says its number; the last one cannot be removed. */
  #renumber() {
    const rows = [...byId("tpl-tasks").children];
    rows.forEach((row, i) => {
      row.querySelector("legend").textContent = `Task ${i + 1}`;
      const remove = row.querySelector(".tpl-remove");
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove task ${i + 1}`);
      remove.hidden = rows.length === 1;
    });
    byId("tpl-add").disabled = rows.length >= MAX_TASKS;
  }

  #rows() {
    return [...byId("tpl-tasks").children].map((row) => ({
      title: row.querySelector(".tpl-title").value,
      detail: row.querySelector(".tpl-detail").value,
      priority: row.querySelector(".tpl-priority").value,
      days: row.querySelector(".tpl-days").value,
      assign: row.querySelector(".tpl-assign").value,
      tags: this.#tags.get(row),
    }));
  }

  async #save(event) {
    event.preventDefault();
    const box = byId("template-error");
    const fields = {
      name: byId("tpl-name").value,
      visaType: byId("tpl-visa-type").value,
      onStatus: byId("tpl-status").value,
      active: byId("tpl-active").checked,
    };
    const { body, error, row } = templateBody(fields, this.#rows());
    if (error) {
      showAlert(box, error);
      const rows = byId("tpl-tasks").children;
      if (row !== undefined) rows[row].querySelector(".tpl-title").focus();
      else if (!fields.name.trim()) byId("tpl-name").focus();
      return;
    }
    const submit = event.submitter || byId("template-form").querySelector("[type=submit]");
    submit.disabled = true;
    try {
      const editing = this.#editing;
      const saved = editing
        ? await api("PATCH", `/task-templates/${editing.id}/`, body)
        : await api("POST", "/task-templates/", body);
      byId("template-dialog").close();
      toast(editing ? `“${saved.name}” saved.` : `“${saved.name}” created.`);
      this.#onSaved(saved);
    } catch (err) {
      if (err instanceof SessionEnded) return;
      const problems = problemWords(err.fields);
      showAlert(box, problems ? `${err.message}: ${problems}` : err.message);
    } finally {
      submit.disabled = false;
    }
  }
}
