// The task templates page (#admin/templates), for admins: every template,
// active or not, with what starts it and its tasks; new, edit (the dialog is
// template-form.js's), deactivate and activate again.
import { api } from "./api.js";
import { byId, el, rowActions } from "./dom.js";
import { plural } from "./labels.js";
import { taskWords, triggerWords } from "./template-rows.js";
import { attempt, toast } from "./toast.js";

export class TemplatesAdmin {
  #asked = 0;

  /** form: the TemplateForm that creates and edits one. */
  constructor(store, form) {
    this.store = store;
    this.form = form;
    byId("template-new").addEventListener("click", () => form.open());
    store.on("signed-out", () => byId("template-list").replaceChildren());
  }

  async show() {
    await attempt(() => this.load());
  }

  async load() {
    const asked = ++this.#asked;
    const page = await api("GET", "/task-templates/?limit=200");
    if (asked !== this.#asked) return;
    // Active ones first, then by name.
    const templates = [...page.results].sort(
      (a, b) => b.active - a.active || a.name.localeCompare(b.name),
    );
    byId("template-list").replaceChildren(...templates.map((t) => this.#row(t)));
    byId("template-empty").hidden = templates.length > 0;
  }

  #row(template) {
    const userName = (id) => this.store.userName(id);
    const teamName = (id) => this.store.teamName(id);
    const toggle = template.active ? "Deactivate" : "Activate";
    return el(
      "li",
      { className: `admin-item${template.active ? "" : " inactive"}`, "data-id": template.id },
      el(
        "div",
        { className: "admin-main" },
        el(
          "p",
          { className: "admin-title" },
          el("strong", {}, template.name),
          el(
            "span",
            { className: `chip ${template.active ? "s-GRANTED" : ""}` },
            template.active ? "Active" : "Inactive",
          ),
        ),
        el(
          "p",
          { className: "admin-meta" },
          `${triggerWords(template)} · ${plural(template.tasks.length, "task")}`,
        ),
        el(
          "ol",
          { className: "admin-tasks" },
          template.tasks.map((task) =>
            el(
              "li",
              {},
              el("span", { className: "admin-task-title" }, task.title),
              el("span", { className: "muted" }, ` — ${taskWords(task, userName, teamName)}`),
            ),
          ),
        ),
      ),
      rowActions(
        { words: "Edit", label: `Edit ${template.name}`, onclick: () => this.#edit(template) },
        {
          words: toggle,
          label: `${toggle} ${template.name}`,
          onclick: (event) => this.#setActive(template, !template.active, event.currentTarget),
          ghost: true,
        },
      ),
    );
  }

  /** Edit the template as it is now (another admin may have changed it
   * since the list was read). */
  async #edit(template) {
    const current = await attempt(() => api("GET", `/task-templates/${template.id}/`));
    if (current) this.form.open(current);
  }

  async #setActive(template, active, button) {
    button.disabled = true;
    const saved = await attempt(() => api("PATCH", `/task-templates/${template.id}/`, { active }));
    button.disabled = false;
    if (!saved) return;
    toast(active ? `“${saved.name}” is active again.` : `“${saved.name}” makes no more tasks.`);
    await attempt(() => this.load());
  }
}
