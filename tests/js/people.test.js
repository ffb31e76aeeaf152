// An admin's view of who is away (people-admin.js) and the Away dialog's
// words when it is opened on someone else (away.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { absenceBody, absenceText } from "../../leopard/static/away.js";
import { weekdayDay } from "../../leopard/static/dates.js";
import { presenceText } from "../../leopard/static/people-admin.js";

const SYDNEY = "Australia/Sydney";
const NOW = Date.parse("2026-12-07T02:00:00Z"); // 1 pm on Monday 7 Dec in Sydney
const ABSENCE = {
  starts_at: "2026-12-06T13:00:00+00:00",
  ends_at: "2026-12-14T13:00:00+00:00",
  delegate_id: 4,
  note: "",
};
const names = (id) => ({ 4: "Ana Lima" })[id] || `user #${id}`;

test("someone else's absence in words names them", () => {
  assert.equal(
    absenceText(ABSENCE, "Ana Lima", NOW, SYDNEY, "Tom Becker"),
    `Tom Becker is away until ${weekdayDay("2026-12-14")}; Ana Lima stands in.`,
  );
  const later = {
    starts_at: "2026-12-19T13:00:00+00:00",
    ends_at: "2026-12-24T13:00:00+00:00",
    delegate_id: 4,
    note: "Leave",
  };
  assert.equal(
    absenceText(later, "Ana Lima", NOW, SYDNEY, "Tom Becker"),
    `Tom Becker will be away from ${weekdayDay("2026-12-20")} until ${weekdayDay("2026-12-24")} (Leave); Ana Lima will stand in.`,
  );
});

test("the list says who is at work and who is away, an ended absence being none", () => {
  const tom = (absence) => ({ id: 3, username: "tom", absence });
  assert.equal(presenceText(tom(null), "Tom Becker", names, NOW, SYDNEY), "At work");
  assert.equal(
    presenceText(tom(ABSENCE), "Tom Becker", names, NOW, SYDNEY),
    `Tom Becker is away until ${weekdayDay("2026-12-14")}; Ana Lima stands in.`,
  );
  const ended = { ...ABSENCE, ends_at: "2026-12-07T01:00:00+00:00" };
  assert.equal(presenceText(tom(ended), "Tom Becker", names, NOW, SYDNEY), "At work");
});

test("the form's errors name whoever is away", () => {
  const form = { from: "2026-12-07", until: "", delegate: "", note: "" };
  assert.equal(absenceBody(form, "2026-12-07", SYDNEY, "Tom Becker").error, "Say the last day Tom Becker is away.");
  const noDelegate = { ...form, until: "2026-12-08" };
  assert.equal(absenceBody(noDelegate, "2026-12-07", SYDNEY, "Tom Becker").error, "Choose who stands in for Tom Becker.");
  assert.equal(absenceBody(noDelegate, "2026-12-07", SYDNEY).error, "Choose who stands in for you.");
});
