import assert from "node:assert/strict";
import { test } from "node:test";

import { absenceBody, absenceText } from "../../leopard/static/away.js";
import { dayStart, nextDay, shortDay, weekdayDay } from "../../leopard/static/dates.js";
import { absenceDays, awayWords } from "../../leopard/static/labels.js";
import { isEscalation, noteKind, onBehalfWords } from "../../leopard/static/note-rows.js";
import { Store } from "../../leopard/static/store.js";

const SYDNEY = "Australia/Sydney";
const NOW = Date.parse("2026-12-07T02:00:00Z"); // 1 pm on Monday 7 Dec in Sydney
// Away from Monday 7 Dec to Monday 14 Dec (Sydney), the last day included.
const ABSENCE = {
  starts_at: "2026-12-06T13:00:00+00:00",
  ends_at: "2026-12-14T13:00:00+00:00",
  delegate_id: 4,
  note: "Annual leave",
};

test("a day begins at the office's midnight, summer time or not", () => {
  assert.equal(dayStart("2026-12-14", SYDNEY), "2026-12-13T13:00:00.000Z"); // AEDT, +11
  assert.equal(dayStart("2026-07-14", SYDNEY), "2026-07-13T14:00:00.000Z"); // AEST, +10
  assert.equal(dayStart("2026-04-05", SYDNEY), "2026-04-04T13:00:00.000Z"); // the day it ends
  assert.equal(dayStart("2026-10-04", SYDNEY), "2026-10-03T14:00:00.000Z"); // the day it starts
  assert.equal(dayStart("2026-03-08", "America/New_York"), "2026-03-08T05:00:00.000Z");
  assert.equal(dayStart("2026-12-14", "UTC"), "2026-12-14T00:00:00.000Z");
  assert.equal(nextDay("2026-12-31"), "2027-01-01");
});

test("an absence's days are the office's, the last being that of its final moment", () => {
  assert.deepEqual(absenceDays(ABSENCE, SYDNEY), { first: "2026-12-07", last: "2026-12-14" });
  const afternoon = { ...ABSENCE, ends_at: "2026-12-14T06:00:00+00:00" }; // 5 pm on the 14th
  assert.equal(absenceDays(afternoon, SYDNEY).last, "2026-12-14");
});

test("a picker marks someone away with who gets their tasks; upcoming or ended otherwise", () => {
  assert.equal(awayWords(ABSENCE, "Ana Lima", NOW, SYDNEY), `away until ${shortDay("2026-12-14")}, goes to Ana Lima`);
  const later = { ...ABSENCE, starts_at: "2026-12-19T13:00:00+00:00", ends_at: "2026-12-24T13:00:00+00:00" };
  assert.equal(
    awayWords(later, "Ana Lima", NOW, SYDNEY),
    `away from ${shortDay("2026-12-20")} until ${shortDay("2026-12-24")}`,
  );
  assert.equal(awayWords(ABSENCE, "Ana Lima", Date.parse(ABSENCE.ends_at), SYDNEY), "");
  assert.equal(awayWords(null, "Ana Lima", NOW, SYDNEY), "");
});

test("the store's picker choices carry the mark", () => {
  const store = new Store();
  const me = { id: 2, username: "maria", full_name: "Maria K", role: "staff" };
  const users = [
    me,
    { id: 3, username: "tom", full_name: "Tom Becker", absence: ABSENCE },
    { id: 4, username: "ana", full_name: "Ana Lima", absence: null },
  ];
  store.signIn(me, users, { timezone: SYDNEY });
  const labels = store.userChoices(false, NOW).map((c) => c.label);
  assert.deepEqual(labels, [
    "Me (Maria K)",
    "Ana Lima (@ana)",
    `Tom Becker (@tom) — away until ${shortDay("2026-12-14")}, goes to Ana Lima`,
  ]);
});

test("an absence's body: the office's days, the last one included", () => {
  const form = { from: "2026-12-07", until: "2026-12-14", delegate: "4", note: " Annual leave " };
  assert.deepEqual(absenceBody(form, "2026-12-07", SYDNEY), {
    body: {
      starts_at: "2026-12-06T13:00:00.000Z",
      ends_at: "2026-12-14T13:00:00.000Z",
      delegate_id: 4,
      note: "Annual leave",
    },
  });
  assert.equal(absenceBody({ ...form, from: "" }, "2026-12-07", SYDNEY).body.starts_at, "2026-12-06T13:00:00.000Z");
});

test("an absence's form says what is missing or wrong", () => {
  const form = { from: "2026-12-07", until: "2026-12-14", delegate: "4", note: "" };
  const error = (changes, today = "2026-12-07") => absenceBody({ ...form, ...changes }, today, SYDNEY).error;
  assert.equal(error({ until: "" }), "Say the last day you are away.");
  assert.equal(error({ until: "2026-12-06" }), "The last day away comes after the first.");
  assert.equal(error({ from: "2026-12-01", until: "2026-12-03" }), "That absence has ended already.");
  assert.equal(error({ delegate: "" }), "Choose who stands in for you.");
  assert.equal(error({ from: "2026-12-14", until: "2026-12-14" }), undefined); // one day
});

test("my absence in words, now or to come", () => {
  assert.equal(
    absenceText(ABSENCE, "Ana Lima", NOW, SYDNEY),
    `You are away until ${weekdayDay("2026-12-14")} (Annual leave); Ana Lima stands in.`,
  );
  const later = {
    ...ABSENCE,
    starts_at: "2026-12-19T13:00:00+00:00",
    ends_at: "2026-12-24T13:00:00+00:00",
    note: "",
  };
  assert.equal(
    absenceText(later, "Ana Lima", NOW, SYDNEY),
    `You will be away from ${weekdayDay("2026-12-20")} until ${weekdayDay("2026-12-24")}; Ana Lima will stand in.`,
  );
});

test("an escalation says why; a delegate's copy says for whom", () => {
  const note = (type, meta) => ({ notification_type: type, meta_info: meta });
  assert.equal(noteKind(note("TASK_ESCALATED", { reason: "unseen" })), "Escalated: not seen in time");
  assert.equal(noteKind(note("TASK_ESCALATED", { reason: "overdue" })), "Escalated: overdue");
  assert.equal(noteKind(note("TASK_ESCALATED", {})), "Escalated");
  assert.equal(noteKind(note("TASK_QUEUED", {})), "Queued");
  assert.ok(isEscalation(note("TASK_ESCALATED", {})));
  assert.ok(!isEscalation(note("TASK_OVERDUE", {})));
  const name = (id) => ({ 3: "Tom Becker" })[id];
  assert.equal(onBehalfWords(note("TASK_OVERDUE", { on_behalf_of: 3 }), name), "For Tom Becker, who is away");
  assert.equal(onBehalfWords(note("TASK_OVERDUE", {}), name), null);
});
