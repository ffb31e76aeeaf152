// The case page's forms, for staff: a client (#client-dialog), a visa
// application (#visa-dialog, its status included) and a document
// (#document-dialog), each new or edited. They open on the store's
// "case-edit" ({what, item, client, visas}) and, once saved, say
// "case-changed" ({what, saved}); a new client's page opens.
import { api, SessionEnded } from "./api.js";
import { clientBody, DOCUMENT_KINDS, documentBody, VISA_STATUSES, visaBody } from "./case-bodies.js";
import { dayOf } from "./dates.js";
import { byId, fillForm, fillSelect, readForm, showAlert } from "./dom.js";
import { clientName, codeLabel, fieldsText } from "./labels.js";
import { toast } from "./toast.js";

const PATHS = { client: "/clients/", visa: "/visa-applications/", document: "/documents/" };
const ADDED = { client: "Client added.", visa: "Visa application added.", document: "Document added." };
const codes = (list) => list.map((code) => ({ value: code, label: codeLabel(code) }));

/** What a form shows of an item (or, for a new one, its defaults). */
export function formValues(what, item, timeZone) {
  if (what === "client") return item || {};
  if (what === "visa") {
    if (!item) return { status: "TO_BE_APPLIED" };
    const day = (iso) => (iso ? dayOf(iso, timeZone) : "");
    return { ...item, lodged_on: day(item.lodged_at), decided_on: day(item.decided_at) };
  }
  return item || { kind: "PASSPORT" };
}

/** The dialog's heading: "New client", "Edit Ana Ruiz", "New visa
 * application for Ana Ruiz", "Edit the passport", … */
export function formHeading(what, item, client) {
  const whose = client ? ` for ${clientName(client)}` : "";
  if (what === "client") return item ? `Edit ${clientName(item)}` : "New client";
  // Not "New visa application": the task form's field has that name.
  if (what === "visa") return item ? `Edit ${item.visa_type}` : `New application${whose}`;
  return item ? `Edit the ${codeLabel(item.kind).toLowerCase()}` : `New document${whose}`;
}

export class CaseForms {
  #open = null; // {what, item, client}

  constructor(store) {
    this.store = store;
    fillSelect(byId("vf-status"), codes(VISA_STATUSES));
    fillSelect(byId("df-kind"), codes(DOCUMENT_KINDS));
    for (const what of Object.keys(PATHS)) {
      byId(`${what}-form`).addEventListener("submit", (event) => this.#save(event, what));
    }
    store.on("case-edit", (edit) => this.open(edit));
  }

  open({ what, item = null, client = null, visas = [] }) {
    this.#open = { what, item, client };
    const users = (none) => [{ value: "", label: none }, ...this.store.userChoices(false)];
    if (what === "visa") fillSelect(byId("vf-assignee"), users("Nobody yet"));
    if (what === "document") {
      fillSelect(byId("df-visa"), [
        { value: "", label: "None" },
        ...visas.map((v) => ({ value: String(v.id), label: v.visa_type })),
      ]);
      fillSelect(byId("df-responsible"), users(item ? "Nobody" : "The application's assignee, else me"));
    }
    const form = byId(`${what}-form`);
    fillForm(form, formValues(what, item, this.store.calendar.timezone));
    byId(`${what}-form-heading`).textContent = formHeading(what, item, client);
    showAlert(byId(`${what}-error`), "");
    byId(`${what}-dialog`).showModal();
    form.querySelector("input, select").focus();
  }

  async #save(event, what) {
    event.preventDefault();
    const { item, client } = this.#open;
    const values = readForm(byId(`${what}-form`));
    const zone = this.store.calendar.timezone;
    const { body, error } =
      what === "client"
        ? clientBody(values, item)
        : what === "visa"
          ? visaBody(values, client.id, item, zone)
          : documentBody(values, client.id, item);
    const box = byId(`${what}-error`);
    if (error) return showAlert(box, error);
    const dialog = byId(`${what}-dialog`);
    if (!Object.keys(body).length) {
      dialog.close();
      return toast("Nothing changed.");
    }
    let saved;
    try {
      saved = item
        ? await api("PATCH", `${PATHS[what]}${item.id}/`, body)
        : await api("POST", PATHS[what], body);
    } catch (err) {
      if (err instanceof SessionEnded) return undefined;
      const fields = fieldsText(err.fields);
      return showAlert(box, fields ? `${err.message} (${fields})` : err.message);
    }
    dialog.close();
    toast(item ? "Saved." : ADDED[what]);
    this.store.emit("case-changed", { what, saved });
    if (what === "client" && !item) location.hash = `#client/${saved.id}`;
    return undefined;
  }
}
