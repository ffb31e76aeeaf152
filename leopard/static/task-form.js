// The "New task" dialog (#task-form-dialog): title, details, priority, due
// date, assignee, and the client (a search, then a pick) with one of its visa
// applications.
import { api, SessionEnded } from "./api.js";
import { calendarDay, today } from "./dates.js";
import { byId, el, fillSelect, showAlert } from "./dom.js";
import { clientName, fieldsText, visaName } from "./labels.js";
import { attempt, toast } from "./toast.js";
import { freshUsers } from "./away.js";

const DUE_DAYS_HINT =
  "Counts the office's business days: weekends, public holidays and closures are skipped.";

export class TaskForm {
  #client = null; // the picked client
  #timer = null;
  #query = 0; // the latest search asked: older answers are dropped
  #dueTimer = null;

  constructor(store) {
    this.store = store;
    byId("task-form").addEventListener("submit", (event) => this.#create(event));
    byId("tf-client").addEventListener("input", () => this.#search());
    byId("tf-due-days").addEventListener("input", () => this.#previewDueDays());
    byId("tf-client").addEventListener("keydown", (event) => {
      // Enter picks the first match rather than submitting the form.
      if (event.key !== "Enter") return;
      event.preventDefault();
      const results = byId("tf-client-results");
      const first = results.querySelector(".picker-option");
      if (first && !results.hidden) first.click();
    });
    store.on("signed-in", () => this.#fillAssignees());
    // Who is away changes: the picker says so, keeping the choice made.
    store.on("users", () => this.#fillAssignees(byId("tf-assignee").value));
  }

  open() {
    byId("task-form").reset();
    byId("tf-due-days-hint").textContent = DUE_DAYS_HINT;
    this.#resetClient();
    this.#fillAssignees();
    byId("task-form-error").hidden = true;
    byId("tf-title-error").hidden = true;
    byId("task-form-dialog").showModal();
    byId("tf-title").focus();
    attempt(() => freshUsers(this.store));
  }

  /** People, then the teams' queues (a task for a team waits for a member
   * to claim it). */
  #fillAssignees(keep = "") {
    const select = fillSelect(byId("tf-assignee"), this.store.userChoices(true));
    const teams = [...this.store.teams.values()].sort((a, b) => a.name.localeCompare(b.name));
    const option = (t) => el("option", { value: `team:${t.id}` }, `${t.name} (queue)`);
    if (teams.length) select.append(el("optgroup", { label: "A team's queue" }, teams.map(option)));
    select.value = keep;
    if (select.value !== keep) select.value = ""; // gone meanwhile
  }

  #problem(message, focus) {
    showAlert(byId("task-form-error"), message);
    if (focus) focus.focus();
  }

  async #create(event) {
    event.preventDefault();
    const titleBox = byId("tf-title");
    const title = titleBox.value.trim();
    byId("task-form-error").hidden = true;
    if (!title) {
      showAlert(byId("tf-title-error"), "A task needs a title.");
      titleBox.setAttribute("aria-invalid", "true");
      titleBox.focus();
      return;
    }
    byId("tf-title-error").hidden = true;
    titleBox.removeAttribute("aria-invalid");
    const body = { title, detail: byId("tf-detail").value, priority: byId("tf-priority").value };
    const due = byId("tf-due").value;
    if (due) body.due_date = new Date(due).toISOString();
    const days = byId("tf-due-days").value;
    if (due && days) {
      this.#problem("Give a due date or a number of business days, not both.", byId("tf-due-days"));
      return;
    }
    if (days) body.due_in_business_days = Number(days);
    const assignee = byId("tf-assignee").value;
    if (assignee.startsWith("team:")) body.assigned_team = Number(assignee.slice(5));
    else if (assignee) body.assigned_to = Number(assignee);
    const client = this.#client;
    if (byId("tf-client").value.trim() && !client) {
      this.#problem("Pick the client from the list, or clear the client field.", byId("tf-client"));
      return;
    }
    if (client) body.client_id = client.id;
    const visa = byId("tf-visa").value;
    if (client && visa) body.visa_application_id = Number(visa);
    const submit = event.submitter || byId("task-form").querySelector("[type=submit]");
    submit.disabled = true;
    try {
      const task = await api("POST", "/tasks/", body);
      byId("task-form-dialog").close();
      const team = task.assigned_to === null && task.assigned_team !== null;
      const whose = task.assigned_to
        ? ` for ${this.store.userName(task.assigned_to)}`
        : team
          ? ` in the ${this.store.teamName(task.assigned_team)} queue`
          : "";
      toast(`Task created${whose}.`);
      this.store.emit("task-created", task);
    } catch (err) {
      if (err instanceof SessionEnded) return;
      const fields = fieldsText(err.fields);
      this.#problem(fields ? `${err.message} (${fields})` : err.message);
    } finally {
      submit.disabled = false;
    }
  }

  /** "Due Tue, 15 Dec 2026 at 17:00": the day the office's calendar gives. */
  #previewDueDays() {
    clearTimeout(this.#dueTimer);
    const hint = byId("tf-due-days-hint");
    const n = Number(byId("tf-due-days").value);
    if (!Number.isInteger(n) || n < 1 || n > 366) {
      hint.textContent = byId("tf-due-days").value ? "A whole number from 1 to 366." : DUE_DAYS_HINT;
      return;
    }
    this.#dueTimer = setTimeout(async () => {
      const calendar = this.store.calendar;
      const query = new URLSearchParams({ from: today(Date.now(), calendar.timezone), add: String(n) });
      const answer = await attempt(() => api("GET", `/calendar/business-days/?${query}`));
      if (!answer || Number(byId("tf-due-days").value) !== n) return;
      hint.textContent = `Due ${calendarDay(answer.date)} at ${calendar.closing_time} (office time).`;
    }, 200);
  }

  #resetClient() {
    this.#client = null;
    clearTimeout(this.#timer);
    byId("tf-client").value = "";
    byId("tf-client-results").replaceChildren();
    byId("tf-client-results").hidden = true;
    this.#fillVisas(null, []);
  }

  #fillVisas(client, applications) {
    const select = byId("tf-visa");
    select.disabled = !client;
    const none = !client
      ? "Pick a client first"
      : applications.length
        ? "None"
        : "None (the client has no applications)";
    fillSelect(select, [
      { value: "", label: none },
      ...applications.map((v) => ({ value: String(v.id), label: visaName(v) })),
    ]);
  }

  /** GET /clients/?q= as the user types (200 ms after the last key). */
  #search() {
    this.#client = null;
    this.#fillVisas(null, []);
    clearTimeout(this.#timer);
    const text = byId("tf-client").value.trim();
    const results = byId("tf-client-results");
    if (!text) {
      results.hidden = true;
      results.replaceChildren();
      return;
    }
    this.#timer = setTimeout(async () => {
      const asked = ++this.#query;
      const query = new URLSearchParams({ q: text, limit: "8" });
      const page = await attempt(() => api("GET", `/clients/?${query}`));
      if (!page || asked !== this.#query) return;
      const option = (c) =>
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", className: "picker-option", onclick: () => this.#pick(c) },
            clientName(c),
            c.email ? el("span", { className: "muted" }, ` · ${c.email}`) : null,
          ),
        );
      results.replaceChildren(
        ...(page.results.length
          ? page.results.map(option)
          : [el("li", { className: "picker-none" }, "No client matches.")]),
      );
      results.hidden = false;
    }, 200);
  }

  async #pick(client) {
    this.#client = client;
    byId("tf-client").value = clientName(client);
    byId("tf-client-results").hidden = true;
    const query = new URLSearchParams({ client_id: String(client.id), limit: "100" });
    const page = await attempt(() => api("GET", `/visa-applications/?${query}`));
    if (this.#client !== client) return;
    this.#fillVisas(client, page ? page.results : []);
    byId("tf-visa").focus();
  }
}
