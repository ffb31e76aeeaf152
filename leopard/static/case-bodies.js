// The bodies of the case page's forms — a client, a visa application, a
// document — from what was typed: trimmed, an empty optional field meaning
// none, and on an edit only what changed. Pure: no DOM.
import { dayOf, dayStart } from "./dates.js";

export const VISA_STATUSES = [
  "TO_BE_APPLIED",
  "VISA_APPLIED",
  "CASE_OPENED",
  "GRANTED",
  "REJECTED",
  "WITHDRAWN",
];

export const DOCUMENT_KINDS = [
  "PASSPORT",
  "VISA",
  "RESIDENCE_PERMIT",
  "WORK_PERMIT",
  "TRAVEL_DOCUMENT",
  "POLICE_CERTIFICATE",
  "MEDICAL",
  "OTHER",
];

/** Only the fields whose value differs from `before` (all on a create). */
export function changed(body, before) {
  if (!before) return body;
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])),
  );
}

const idOrNull = (text) => (text ? Number(text) : null);

/** A client: {first_name, last_name, email, phone, notes}, or {error}. */
export function clientBody(form, before = null) {
  const body = {
    first_name: form.first_name.trim(),
    last_name: form.last_name.trim(),
    email: form.email.trim(),
    phone: form.phone.trim(),
    notes: form.notes,
  };
  if (!body.first_name || !body.last_name) return { error: "A client needs a first and a last name." };
  return { body: changed(body, before) };
}

/** A moment given as a day (a date input, in the office's zone): the
 * moment it had when its day is unchanged, else the day's start; null. */
export function dayMoment(ymd, beforeIso, timeZone) {
  if (!ymd) return null;
  if (beforeIso && dayOf(beforeIso, timeZone) === ymd) return beforeIso;
  return dayStart(ymd, timeZone);
}

/** A visa application of `clientId`, or {error}. */
export function visaBody(form, clientId, before, timeZone) {
  const body = {
    visa_type: form.visa_type.trim(),
    reference: form.reference.trim(),
    status: form.status,
    assigned_to: idOrNull(form.assigned_to),
    lodged_at: dayMoment(form.lodged_on, before && before.lodged_at, timeZone),
    decided_at: dayMoment(form.decided_on, before && before.decided_at, timeZone),
    notes: form.notes,
  };
  if (!body.visa_type) return { error: "Say which visa: the type is needed." };
  if (body.lodged_at && body.decided_at && form.decided_on < form.lodged_on) {
    return { error: "A decision comes after the lodging." };
  }
  return { body: before ? changed(body, before) : { client_id: clientId, ...body } };
}

/** A document of `clientId`, or {error}; an empty "responsible" on a new
 * one leaves it to the server (the application's assignee, else me). */
export function documentBody(form, clientId, before) {
  const body = {
    kind: form.kind,
    number: form.number.trim(),
    visa_application_id: idOrNull(form.visa_application_id),
    issued_on: form.issued_on || null,
    expires_on: form.expires_on || null,
    notes: form.notes,
  };
  if (form.responsible_id || before) body.responsible_id = idOrNull(form.responsible_id);
  if (body.issued_on && body.expires_on && body.expires_on < body.issued_on) {
    return { error: "It cannot expire before it was issued." };
  }
  return { body: before ? changed(body, before) : { client_id: clientId, ...body } };
}
