import assert from "node:assert/strict";
import { test } from "node:test";

import { pageBefore, PAGE } from "../../leopard/static/case-history.js";
import { historyPath, openFirst } from "../../leopard/static/case-view.js";
import { groupFacts, mergeEntries } from "../../leopard/static/history-facts.js";
import { noteHref } from "../../leopard/static/note-rows.js";
import {
  entryText,
  itemWords,
  receiptText,
  subjectNames,
  timelineDays,
} from "../../leopard/static/timeline.js";

// A case as GET /api/v1/clients/1/history/ answered it: Maria (2) opens an
// application assigned to Tom (3), changes its status, makes a task for
// herself, gives it to Tom and comments; Tom reads what he was told.
const T = (s) => `2026-12-07T02:${s}+00:00`;
const entry = (id, at, actor, subject, action, changes = {}, recipient = null) => ({
  id,
  at: T(at),
  actor_id: actor,
  subject,
  action,
  changes,
  recipient_id: recipient,
});
const VISA = "visa_application:1";
const TASK = "task:1";
const HISTORY = [
  entry(1, "10:00", 2, "client:1", "created", {
    first_name: [null, "Ana"],
    last_name: [null, "Ruiz"],
  }),
  entry(9, "10:10", 2, VISA, "created", {
    status: [null, "TO_BE_APPLIED"],
    visa_type: [null, "Skilled worker (482)"],
    assigned_to: [null, 3],
  }),
  entry(13, "10:10", 2, VISA, "notified", {}, 3),
  entry(17, "10:20", 2, VISA, "changed", { status: ["TO_BE_APPLIED", "VISA_APPLIED"] }),
  entry(21, "10:20", 2, VISA, "notified", {}, 3),
  entry(25, "10:30", 2, "document:1", "created", {
    kind: [null, "PASSPORT"],
    number: [null, "***"],
    expires_on: [null, "2027-09-30"],
  }),
  entry(29, "10:40", 2, TASK, "created", {
    title: [null, "Collect police certificate"],
    assigned_to: [null, 2],
  }),
  entry(33, "10:42", 2, TASK, "assigned", { assigned_to: [2, 3] }),
  entry(37, "10:42", 2, TASK, "notified", {}, 3),
  entry(41, "10:44", 2, TASK, "commented", { body: [null, "It is at the front desk, @tom."] }),
  entry(45, "10:44", 2, TASK, "notified", {}, 3),
  entry(46, "10:45", null, TASK, "delivered", {}, 3),
  entry(47, "10:45", 3, TASK, "read", {}, 3),
  entry(38, "10:46", null, TASK, "delivered", {}, 3),
  entry(39, "10:47", 3, TASK, "read", {}, 3),
  entry(22, "10:50", null, VISA, "delivered", {}, 3),
];
const USERS = { 2: "Maria", 3: "Tom" };
const ctx = (names) => ({
  user: (id) => USERS[id] || `user #${id}`,
  names,
  moment: (iso) => `moment ${iso.slice(0, 10)}`,
  date: (ymd) => `day ${ymd}`,
  clock: (iso) => iso.slice(14, 19), // T("10:45") reads "10:45"
});

test("a notification leads to its task, else its case: document, application, client", () => {
  assert.equal(noteHref({ meta_info: { task_id: 3, client_id: 2 } }), "#task/3");
  const expiring = { document_id: 3, client_id: 2, visa_application_id: 5 };
  assert.equal(noteHref({ meta_info: expiring }), "#client/2");
  assert.equal(noteHref({ meta_info: { document_id: 3 } }), "#deadlines");
  assert.equal(noteHref({ meta_info: { visa_application_id: 5, client_id: 2 } }), "#visa/5");
  assert.equal(noteHref({ meta_info: { client_id: 2 } }), "#client/2");
  assert.equal(noteHref({ meta_info: { client_id: "2" } }), null);
  assert.equal(noteHref({ meta_info: {} }), null);
  assert.equal(noteHref({ meta_info: null }), null);
});

test("a change's notifications join it, with what became of each", () => {
  const items = groupFacts(HISTORY);
  // Newest first; the notified, delivered and read entries are no items.
  assert.deepEqual(
    items.map((i) => i.entry.id),
    [41, 33, 29, 25, 17, 9, 1],
  );
  const [comment, assigned, , , changed, created] = items;
  assert.deepEqual(comment.receipts, [
    {
      id: 45,
      recipientId: 3,
      at: T("10:44"),
      delivered: T("10:45"),
      read: T("10:45"),
      emailed: null,
    },
  ]);
  assert.deepEqual(assigned.receipts[0], {
    id: 37,
    recipientId: 3,
    at: T("10:42"),
    delivered: T("10:46"),
    read: T("10:47"),
    emailed: null,
  });
  assert.equal(changed.receipts[0].delivered, T("10:50"));
  assert.equal(changed.receipts[0].read, null);
  assert.equal(created.receipts[0].delivered, null);
});

test("a fact or a notification with nothing to join stands alone", () => {
  const reminder = entry(101, "11:00", null, "document:1", "notified", {}, 2);
  const seen = entry(102, "11:01", null, "document:1", "delivered", {}, 2);
  const orphan = entry(203, "11:02", 3, TASK, "read", {}, 3); // its notified (201) not loaded
  const other = entry(106, "11:03", null, "document:1", "delivered", {}, 9); // another recipient
  const items = groupFacts([reminder, seen, orphan, other]);
  assert.deepEqual(
    items.map((i) => [i.entry.id, i.receipts.length]),
    [
      [106, 0],
      [203, 0],
      [101, 1],
    ],
  );
  assert.equal(items[2].receipts[0].delivered, T("11:01"));
});

test("pages merge in the API's order, each entry once", () => {
  const later = HISTORY.slice(8);
  const earlier = HISTORY.slice(0, 10);
  assert.deepEqual(
    mergeEntries(later, earlier).map((e) => e.id),
    HISTORY.map((e) => e.id),
  );
});

test("the timeline names who did what to which subject", () => {
  const names = subjectNames(HISTORY, {});
  const words = (id) => entryText(HISTORY.find((e) => e.id === id), ctx(names));
  assert.equal(words(1), "Maria added the client Ana Ruiz");
  assert.equal(words(9), "Maria opened the Skilled worker (482) application, assigned to Tom");
  assert.equal(
    words(17),
    "Maria changed the status of the Skilled worker (482) application " +
      "from To be applied to Visa applied",
  );
  assert.equal(words(25), "Maria added the passport, expiring day 2027-09-30");
  assert.equal(words(29), "Maria created 'Collect police certificate', assigned to Maria");
  assert.equal(words(33), "Maria assigned 'Collect police certificate' to Tom");
  assert.equal(
    words(41),
    "Maria commented on 'Collect police certificate': “It is at the front desk, @tom.”",
  );
  assert.equal(words(47), "Tom read a notification about 'Collect police certificate'");
});

test("a change of several fields is one sentence; secrets and long texts are named only", () => {
  const names = new Map([[TASK, "Lodge"], ["document:4", "Passport"]]);
  const words = (subject, action, changes, actor = 3) =>
    entryText(entry(5, "12:00", actor, subject, action, changes), ctx(names));
  assert.equal(
    words(TASK, "changed", {
      priority: ["MEDIUM", "HIGH"],
      status: ["PENDING", "IN_PROGRESS"],
      detail: ["a", "b"],
    }),
    "Tom changed the status of 'Lodge' from Pending to In progress, " +
      "its priority from Medium to High and its details",
  );
  assert.equal(
    words(TASK, "changed", { due_date: [null, "2026-12-10T06:00:00+00:00"] }),
    "Tom changed the due date of 'Lodge' to moment 2026-12-10",
  );
  assert.equal(
    words(TASK, "changed", { assigned_to: [3, null] }),
    "Tom changed the assignee of 'Lodge' from Tom to none",
  );
  assert.equal(
    words("document:4", "changed", {
      number: ["***", "***"],
      expires_on: ["2027-01-01", "2032-01-01"],
    }),
    "Tom changed the expiry date of the passport from day 2027-01-01 to day 2032-01-01 " +
      "and its number",
  );
  assert.equal(
    words("task:99", "escalated", { reason: [null, "unseen"], told: [null, [2]] }, null),
    "Leopard escalated task #99: its assignee had not seen it in time",
  );
  assert.equal(
    words(TASK, "delegated", { assigned_to: [3, 2] }),
    "'Lodge' went to Maria, standing in for Tom while away",
  );
  assert.equal(words(TASK, "claimed", { assigned_to: [null, 3] }), "Tom claimed 'Lodge'");
  assert.equal(
    words(TASK, "assigned", { assigned_to: [3, null] }),
    "Tom unassigned 'Lodge' (was Tom)",
  );
});

test("what is gone is named from its history", () => {
  const deleted = entry(8, "12:00", 2, "task:7", "deleted", { title: ["Old", null] });
  const names = subjectNames([deleted], {});
  assert.equal(entryText(deleted, ctx(names)), "Maria deleted 'Old'");
});

test("what the page loaded names a subject before the history does", () => {
  const names = subjectNames(HISTORY, {
    tasks: [{ id: 1, title: "Collect the AFP certificate" }],
    clients: [{ id: 1, first_name: "Ana", last_name: "Ruiz-Díaz" }],
    documents: [{ id: 1, kind: "RESIDENCE_PERMIT" }],
  });
  assert.equal(names.get(TASK), "Collect the AFP certificate");
  assert.equal(names.get("client:1"), "Ana Ruiz-Díaz");
  assert.equal(names.get("document:1"), "Residence permit");
  assert.equal(names.get(VISA), "Skilled worker (482)");
});

test("who was told, and when they saw and read it", () => {
  const words = ctx(new Map());
  const receipt = {
    recipientId: 3,
    at: T("10:42"),
    delivered: T("10:42"),
    read: T("10:45"),
    emailed: null,
  };
  assert.equal(receiptText(receipt, words), "Tom was told — seen 10:42, read 10:45");
  const unseen = { ...receipt, delivered: null, read: null };
  assert.equal(receiptText(unseen, words), "Tom was told — not seen yet");
  assert.equal(
    receiptText({ ...receipt, delivered: null, read: null, emailed: T("10:55") }, words),
    "Tom was told — emailed 10:55",
  );
  const [comment, assigned] = groupFacts(HISTORY).map((item) =>
    itemWords(item, ctx(subjectNames(HISTORY, {}))),
  );
  assert.deepEqual(assigned, {
    text: "Maria assigned 'Collect police certificate' to Tom",
    receipts: ["Tom was told — seen 10:46, read 10:47"],
  });
  assert.equal(comment.receipts[0], "Tom was told — seen 10:45, read 10:45");
  const reminder = groupFacts([entry(101, "11:00", null, "document:1", "notified", {}, 2)])[0];
  assert.deepEqual(itemWords(reminder, ctx(new Map([["document:1", "Passport"]]))), {
    text: "Maria was told about the passport — not seen yet",
    receipts: [],
  });
});

test("the timeline goes by days, newest first", () => {
  const items = groupFacts(HISTORY);
  const days = timelineDays(items, (iso) => (iso < T("10:30") ? "2026-12-06" : "2026-12-07"));
  assert.deepEqual(
    days.map((d) => [d.day, d.items.length]),
    [
      ["2026-12-07", 4],
      ["2026-12-06", 3],
    ],
  );
});

test("a case's tasks: open ones first, the soonest due first", () => {
  const task = (id, status, due, created) => ({ id, status, due_date: due, created_at: created });
  const sorted = openFirst([
    task(1, "COMPLETED", null, "2026-01-05T00:00:00Z"),
    task(2, "PENDING", null, "2026-01-04T00:00:00Z"),
    task(3, "IN_PROGRESS", "2026-03-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    task(4, "PENDING", "2026-02-01T00:00:00Z", "2026-01-02T00:00:00Z"),
    task(5, "CANCELLED", null, "2026-01-06T00:00:00Z"),
    task(6, "PENDING", null, "2026-01-07T00:00:00Z"),
  ]);
  assert.deepEqual(
    sorted.map((t) => t.id),
    [4, 3, 6, 2, 5, 1],
  );
});

test("a long history is read from its end, a page at a time", () => {
  assert.equal(historyPath("client", 4), "/clients/4/history/");
  assert.equal(historyPath("visa", 7), "/visa-applications/7/history/");
  assert.deepEqual(pageBefore(350), { offset: 350 - PAGE, limit: PAGE });
  assert.deepEqual(pageBefore(30), { offset: 0, limit: 30 });
  assert.deepEqual(pageBefore(0), { offset: 0, limit: 0 });
});
