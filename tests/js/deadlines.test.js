import assert from "node:assert/strict";
import { test } from "node:test";

import { calendarDay, dayOf, daysBetween, expiryWords, today } from "../../leopard/static/dates.js";
import { dayWords, deadlineDays } from "../../leopard/static/deadlines.js";

test("a moment's day is the office's, near midnight UTC", () => {
  const moment = "2026-12-07T13:30:00Z"; // 00:30 on the 8th in Sydney
  assert.equal(dayOf(moment, "Australia/Sydney"), "2026-12-08");
  assert.equal(dayOf(moment, "UTC"), "2026-12-07");
  assert.equal(dayOf(moment, "America/New_York"), "2026-12-07");
  assert.equal(today(Date.parse(moment), "Australia/Sydney"), "2026-12-08");
});

test("a document's expiry reads from the office's today", () => {
  assert.deepEqual(expiryWords("2027-01-05", "2026-12-07"), { expired: false, text: "expires in 29 days" });
  assert.deepEqual(expiryWords("2026-12-08", "2026-12-07"), { expired: false, text: "expires in 1 day" });
  assert.deepEqual(expiryWords("2026-12-07", "2026-12-07"), { expired: true, text: "expires today" });
  assert.deepEqual(expiryWords("2026-12-04", "2026-12-07"), { expired: true, text: "expired 3 days ago" });
  assert.equal(daysBetween("2027-03-27", "2027-04-05"), 9); // across a DST change
  assert.match(calendarDay("2027-01-05"), /2027/);
});

test("deadlines group by the office's day, tasks before documents", () => {
  const tasks = [
    { id: 1, title: "Lodge", due_date: "2026-12-08T06:00:00Z" }, // 17:00 in Sydney
    { id: 2, title: "Call", due_date: "2026-12-07T14:00:00Z" }, // the 8th in Sydney
  ];
  const docs = [{ id: 9, client_id: 4, kind: "PASSPORT", expires_on: "2026-12-08" }];
  const clients = new Map([[4, { first_name: "Ana", last_name: "Ruiz" }]]);
  const days = deadlineDays(tasks, docs, clients, "2026-12-07", "Australia/Sydney");
  assert.equal(days.length, 1);
  assert.equal(days[0].day, "2026-12-08");
  assert.deepEqual(
    days[0].items.map((i) => [i.kind, i.text, i.href]),
    [
      ["Task", "Lodge", "#task/1"],
      ["Task", "Call", "#task/2"],
      ["Passport", "Ana Ruiz: expires in 1 day", "#client/4"],
    ],
  );
  const utc = deadlineDays(tasks, [], new Map(), "2026-12-07", "UTC");
  assert.deepEqual(utc.map((d) => d.day), ["2026-12-07", "2026-12-08"]);
});

test("a day reads relative to today", () => {
  assert.equal(dayWords("2026-12-07", "2026-12-07"), "Today");
  assert.equal(dayWords("2026-12-08", "2026-12-07"), "Tomorrow");
  assert.equal(dayWords("2026-12-12", "2026-12-07"), "In 5 days");
  assert.equal(dayWords("2026-12-05", "2026-12-07"), "2 days ago");
});
