import assert from "node:assert/strict";
import { test } from "node:test";

import {
  changed,
  clientBody,
  dayMoment,
  documentBody,
  visaBody,
} from "../../leopard/static/case-bodies.js";
import { formHeading, formValues } from "../../leopard/static/case-forms.js";

const SYDNEY = "Australia/Sydney";
const CLIENT = { first_name: " Eva ", last_name: "Lind ", email: " eva@example.com ", phone: "", notes: "VIP" };

test("a client's body is trimmed, and needs both names", () => {
  assert.deepEqual(clientBody(CLIENT), {
    body: { first_name: "Eva", last_name: "Lind", email: "eva@example.com", phone: "", notes: "VIP" },
  });
  assert.deepEqual(clientBody({ ...CLIENT, last_name: "  " }), {
    error: "A client needs a first and a last name.",
  });
});

test("an edit sends only what changed", () => {
  const before = { id: 1, first_name: "Eva", last_name: "Lind", email: "eva@example.com", phone: "", notes: "VIP" };
  assert.deepEqual(clientBody({ ...CLIENT, phone: "+61 2 9000 0000" }, before), {
    body: { phone: "+61 2 9000 0000" },
  });
  assert.deepEqual(clientBody(CLIENT, before), { body: {} });
  assert.deepEqual(changed({ a: [1], b: null }, { a: [1], b: 2 }), { b: null });
});

test("a day typed for a moment is the office's; an unchanged day keeps its moment", () => {
  assert.equal(dayMoment("2026-12-08", null, SYDNEY), "2026-12-07T13:00:00.000Z");
  const lodged = "2026-12-08T04:30:00+00:00"; // 3:30 pm in Sydney, on the 8th
  assert.equal(dayMoment("2026-12-08", lodged, SYDNEY), lodged);
  assert.equal(dayMoment("2026-12-09", lodged, SYDNEY), "2026-12-08T13:00:00.000Z");
  assert.equal(dayMoment("", lodged, SYDNEY), null);
});

const VISA_FORM = {
  visa_type: " Partner (820) ",
  reference: "",
  status: "TO_BE_APPLIED",
  assigned_to: "3",
  lodged_on: "",
  decided_on: "",
  notes: "",
};

test("a new application names its client; an edit sends its status change", () => {
  assert.deepEqual(visaBody(VISA_FORM, 7, null, SYDNEY), {
    body: {
      client_id: 7,
      visa_type: "Partner (820)",
      reference: "",
      status: "TO_BE_APPLIED",
      assigned_to: 3,
      lodged_at: null,
      decided_at: null,
      notes: "",
    },
  });
  const before = {
    id: 2,
    client_id: 7,
    visa_type: "Partner (820)",
    reference: "",
    status: "TO_BE_APPLIED",
    assigned_to: 3,
    lodged_at: null,
    decided_at: null,
    notes: "",
  };
  const form = { ...VISA_FORM, status: "VISA_APPLIED", lodged_on: "2026-12-08", assigned_to: "" };
  assert.deepEqual(visaBody(form, 7, before, SYDNEY), {
    body: { status: "VISA_APPLIED", assigned_to: null, lodged_at: "2026-12-07T13:00:00.000Z" },
  });
  assert.match(visaBody({ ...VISA_FORM, visa_type: " " }, 7, null, SYDNEY).error, /type is needed/);
  const early = { ...VISA_FORM, lodged_on: "2026-12-08", decided_on: "2026-12-01" };
  assert.equal(visaBody(early, 7, null, SYDNEY).error, "A decision comes after the lodging.");
});

const DOC_FORM = {
  kind: "PASSPORT",
  number: " PA123 ",
  visa_application_id: "",
  issued_on: "2020-01-10",
  expires_on: "2030-01-01",
  responsible_id: "",
  notes: "",
};

test("a new document leaves its responsible to the server unless chosen", () => {
  assert.deepEqual(documentBody(DOC_FORM, 7, null), {
    body: {
      client_id: 7,
      kind: "PASSPORT",
      number: "PA123",
      visa_application_id: null,
      issued_on: "2020-01-10",
      expires_on: "2030-01-01",
      notes: "",
    },
  });
  assert.equal(documentBody({ ...DOC_FORM, responsible_id: "4" }, 7, null).body.responsible_id, 4);
  const late = { ...DOC_FORM, issued_on: "2031-01-01" };
  assert.equal(documentBody(late, 7, null).error, "It cannot expire before it was issued.");
});

test("an edited document sends what changed, its responsible included", () => {
  const before = { id: 5, client_id: 7, kind: "PASSPORT", number: "PA123", visa_application_id: null, issued_on: "2020-01-10", expires_on: "2030-01-01", responsible_id: 3, notes: "" };
  const form = { ...DOC_FORM, expires_on: "2031-06-30", responsible_id: "3", visa_application_id: "2" };
  assert.deepEqual(documentBody(form, 7, before), {
    body: { expires_on: "2031-06-30", visa_application_id: 2 },
  });
});

test("a form shows an item's values, a day for a moment, and says what it is", () => {
  const visa = { id: 2, visa_type: "Partner (820)", lodged_at: "2026-12-07T13:00:00+00:00", decided_at: null };
  assert.deepEqual(formValues("visa", visa, SYDNEY), { ...visa, lodged_on: "2026-12-08", decided_on: "" });
  assert.deepEqual(formValues("visa", null, SYDNEY), { status: "TO_BE_APPLIED" });
  assert.deepEqual(formValues("document", null, SYDNEY), { kind: "PASSPORT" });
  const client = { first_name: "Eva", last_name: "Lind" };
  assert.equal(formHeading("client", null, null), "New client");
  assert.equal(formHeading("client", client, null), "Edit Eva Lind");
  assert.equal(formHeading("visa", null, client), "New application for Eva Lind");
  assert.equal(formHeading("visa", visa, client), "Edit Partner (820)");
  assert.equal(formHeading("document", { kind: "POLICE_CERTIFICATE" }, client), "Edit the police certificate");
});
