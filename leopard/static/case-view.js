// A case (#client/ID, #visa/ID): the client's details, their visa
// applications (on #visa/ID that one is the focus) with their checklists,
// documents and their expiry, and tasks, open first; its history is
// case-history.js's.
import { api, ApiError } from "./api.js";
import { holderWords, renderChecklist } from "./checklist.js";
import { calendarDay, dayDate, expiryWords, today } from "./dates.js";
import { byId, dueEl, el } from "./dom.js";
import { clientName, codeLabel, isDone, STATUS_LABELS } from "./labels.js";
import { attempt } from "./toast.js";

/** Open tasks first, the soonest due first (undated ones after them), then
 * the finished ones; the newest first within each. */
export function openFirst(tasks) {
  const due = (t) => (t.due_date ? Date.parse(t.due_date) : Infinity);
  return [...tasks].sort(
    (a, b) =>
      isDone(a) - isDone(b) ||
      (isDone(a) ? 0 : due(a) - due(b)) ||
      Date.parse(b.created_at) - Date.parse(a.created_at),
  );
}

/** What the history of a case is read from: "/clients/1/history/". */
export const historyPath = (kind, id) =>
  kind === "client" ? `/clients/${id}/history/` : `/visa-applications/${id}/history/`;

/** A resource, or null when it no longer exists (its history remains). */
async function found(path) {
  try {
    return await api("GET", path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

const list = async (path) => (await api("GET", path)).results;

export class CaseView {
  #shown = null; // {kind: "client" | "visa", id}
  #asked = 0; // the latest load asked for: older answers are dropped
  #timer = null;
  #unfolded = new Map(); // application id → its checklist shown unfolded
  #loaded = { client: null, visas: [] }; // what the forms edit (case-forms.js)

  /** history: the CaseHistory that shows the case's timeline. */
  constructor(store, history) {
    this.store = store;
    this.history = history;
    // A task changed here or elsewhere: its row and the timeline follow.
    for (const event of ["task-changed", "tasks-stale", "task-touched", "case-changed"]) {
      store.on(event, () => this.#scheduleRefresh());
    }
    // Staff edit the case: the forms open on "case-edit".
    byId("case-edit-client").addEventListener("click", () => this.#edit("client", this.#loaded.client));
    byId("case-new-visa").addEventListener("click", () => this.#edit("visa", null));
    byId("case-new-document").addEventListener("click", () => this.#edit("document", null));
    store.on("signed-out", () => {
      clearTimeout(this.#timer);
      this.#shown = null;
      this.#clear();
    });
  }

  #clear() {
    for (const id of ["case-crumbs", "case-details", "case-visas", "case-documents", "case-tasks"]) {
      byId(id).replaceChildren();
    }
    for (const id of ["gone", "notes", "visas-empty", "documents-empty", "tasks-empty"]) {
      byId(`case-${id}`).hidden = true;
    }
  }

  /** Show a client's case (kind "client") or a visa application's ("visa"). */
  async show(kind, id) {
    const again = this.#shown && this.#shown.kind === kind && this.#shown.id === id;
    this.#shown = { kind, id };
    if (!again) {
      this.#unfolded.clear();
      // Nothing of the case shown before stays while this one loads.
      byId("case-heading").textContent = "Loading…";
      this.#clear();
      this.history.reset();
    }
    byId("case-heading").focus({ preventScroll: again });
    await attempt(() => this.#load());
  }

  #scheduleRefresh() {
    clearTimeout(this.#timer);
    if (!this.#shown || byId("case-view").hidden) return;
    this.#timer = setTimeout(() => attempt(() => this.#load()), 250);
  }

  async #load() {
    const asked = ++this.#asked;
    const { kind, id } = this.#shown;
    const visa = kind === "visa" ? await found(`/visa-applications/${id}/`) : null;
    const clientId = kind === "client" ? id : visa && visa.client_id;
    const scope = kind === "client" ? `client_id=${id}` : `visa_application_id=${id}`;
    const [client, visas, documents, tasks] = await Promise.all([
      clientId ? found(`/clients/${clientId}/`) : null,
      clientId ? list(`/visa-applications/?client_id=${clientId}&limit=100`) : [],
      clientId ? list(`/documents/?client_id=${clientId}&limit=200`) : [],
      list(`/tasks/?${scope}&limit=200`),
    ]);
    // Each application's checklist: its tasks (those with any).
    const listed = visas.filter((v) => v.checklist && v.checklist.open + v.checklist.done > 0);
    const checklists = new Map(
      await Promise.all(
        listed.map(async (v) => [v.id, await list(`/tasks/?visa_application_id=${v.id}&limit=200`)]),
      ),
    );
    if (asked !== this.#asked) return;
    this.#loaded = { client, visas };
    this.#renderHead(kind, id, client, visa);
    this.#renderVisas(visas, kind === "visa" ? id : null, checklists);
    this.#renderDocuments(documents, visas);
    this.#renderTasks(openFirst(tasks), kind);
    const refs = { clients: client ? [client] : [], visas, documents, tasks };
    try {
      await this.history.show(historyPath(kind, id), refs);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      // No history either: there never was such a client or application.
      const what = kind === "client" ? "client" : "visa application";
      byId("case-gone").textContent = `There is no ${what} #${id}.`;
    }
  }

  #renderHead(kind, id, client, visa) {
    const name = client ? clientName(client) : null;
    const crumbs = [el("a", { href: "#clients" }, "Clients")];
    if (kind === "visa" && client) crumbs.push(el("a", { href: `#client/${client.id}` }, name));
    byId("case-crumbs").replaceChildren(...crumbs.flatMap((c, i) => (i ? [" › ", c] : [c])));
    const visaTitle = visa && `${visa.visa_type}${visa.reference ? ` (${visa.reference})` : ""}`;
    byId("case-heading").textContent =
      kind === "client" ? name || `Client #${id}` : visaTitle || `Visa application #${id}`;
    const gone = byId("case-gone");
    gone.hidden = Boolean(kind === "client" ? client : visa);
    for (const button of ["case-edit-client", "case-new-visa", "case-new-document"]) {
      byId(button).hidden = !client;
    }
    const what = kind === "client" ? "client" : "application";
    gone.textContent = `This ${what} no longer exists; its history remains.`;
    const ofVisa = kind === "visa" ? " of this application" : "";
    byId("case-tasks-heading").textContent = `Tasks${ofVisa}`;
    byId("case-history-heading").textContent = `History${ofVisa}`;
    this.#renderDetails(client, kind);
  }

  /** The client's email, phone and notes (and on an application's page, who). */
  #renderDetails(client, kind) {
    const fact = (label, value) => el("div", {}, el("dt", {}, label), el("dd", {}, value));
    const link = (href, text) => el("a", { href }, text);
    const facts = client
      ? [
          kind === "visa" ? fact("Client", link(`#client/${client.id}`, clientName(client))) : null,
          client.email ? fact("Email", link(`mailto:${client.email}`, client.email)) : null,
          client.phone ? fact("Phone", link(`tel:${client.phone}`, client.phone)) : null,
          fact("Client since", dayDate(client.created_at)),
        ]
      : [];
    byId("case-details").replaceChildren(...facts.filter(Boolean));
    byId("case-notes").textContent = client ? client.notes : "";
    byId("case-notes").hidden = !(client && client.notes);
  }

  #renderVisas(visas, focusId, checklists) {
    byId("case-visas-empty").hidden = visas.length > 0;
    // The focused application's checklist is unfolded until folded.
    const unfolded = (v) => this.#unfolded.get(v.id) ?? v.id === focusId;
    byId("case-visas").replaceChildren(
      ...visas.map((v) => {
        const focus = v.id === focusId;
        const facts = [
          this.#assignee(v, "Assigned to"),
          v.lodged_at ? `lodged ${dayDate(v.lodged_at)}` : null,
          v.decided_at ? `decided ${dayDate(v.decided_at)}` : null,
        ].filter(Boolean);
        return el(
          "li",
          { className: `case-row${focus ? " focus" : ""}`, "data-id": v.id },
          el(
            "a",
            {
              className: "case-title",
              href: `#visa/${v.id}`,
              "aria-current": focus ? "page" : null,
            },
            v.visa_type,
            v.reference ? el("span", { className: "muted" }, ` (${v.reference})`) : null,
          ),
          el("span", { className: `chip s-${v.status}` }, codeLabel(v.status)),
          el("span", { className: "case-meta" }, facts.join(" · ")),
          this.#editButton("visa", v, `Edit ${v.visa_type}`),
          renderChecklist(v, checklists.get(v.id) || [], this.store, {
            open: unfolded(v),
            onToggle: (open) => this.#unfolded.set(v.id, open),
          }),
        );
      }),
    );
  }

  #renderDocuments(documents, visas) {
    const now = today(Date.now(), this.store.calendar.timezone);
    const visaNames = new Map(visas.map((v) => [v.id, v.visa_type]));
    byId("case-documents-empty").hidden = documents.length > 0;
    byId("case-documents").replaceChildren(
      ...documents.map((doc) => {
        const words = doc.expires_on ? expiryWords(doc.expires_on, now) : null;
        const about = [
          doc.visa_application_id ? visaNames.get(doc.visa_application_id) : null,
          doc.responsible_id !== null ? this.store.userName(doc.responsible_id) : null,
        ].filter(Boolean);
        return el(
          "li",
          { className: "case-row", "data-id": doc.id },
          el("span", { className: "kind" }, codeLabel(doc.kind)),
          el(
            "span",
            { className: words && words.expired ? "overdue" : null },
            words ? `${words.text} (${calendarDay(doc.expires_on)})` : "no expiry",
          ),
          about.length ? el("span", { className: "case-meta" }, about.join(" · ")) : null,
          this.#editButton("document", doc, `Edit the ${codeLabel(doc.kind).toLowerCase()}`),
        );
      }),
    );
  }

  #renderTasks(tasks, kind) {
    const empty = byId("case-tasks-empty");
    empty.hidden = tasks.length > 0;
    empty.textContent = `No tasks about this ${kind === "visa" ? "application" : "client"}.`;
    byId("case-tasks").replaceChildren(
      ...tasks.map((task) =>
        el(
          "li",
          { className: `case-row task${isDone(task) ? " done" : ""}`, "data-id": task.id },
          el("a", { className: "task-title", href: `#task/${task.id}` }, task.title),
          el("span", { className: "chip" }, STATUS_LABELS[task.status]),
          el("span", { className: "case-meta" }, this.#holder(task)),
          dueEl(task, isDone(task)),
        ),
      ),
    );
  }

  #edit(what, item) {
    const { client, visas } = this.#loaded;
    this.store.emit("case-edit", { what, item, client, visas });
  }

  #editButton(what, item, label) {
    const props = { type: "button", className: "btn small ghost row-edit", "aria-label": label };
    return el("button", { ...props, onclick: () => this.#edit(what, item) }, "Edit");
  }

  /** "For Tom Becker", "Waiting in Intake", or "Not assigned". */
  #holder(task) {
    if (task.assigned_to === null && task.assigned_team === null) return "Not assigned";
    const words = holderWords(task, (id) => this.store.userName(id), (id) => this.store.teamName(id));
    return task.assigned_to === null ? words : `For ${words}`;
  }

  /** "Assigned to Tom Becker", or "Not assigned". */
  #assignee(row, words) {
    return row.assigned_to === null
      ? "Not assigned"
      : `${words} ${this.store.userName(row.assigned_to)}`;
  }
}
