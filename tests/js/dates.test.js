import assert from "node:assert/strict";
import { test } from "node:test";

import { ago, dayDate, dueWords, retryWords } from "../../leopard/static/dates.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const at = (seconds) => new Date(NOW + seconds * 1000).toISOString();

test("a moment reads relative within a week", () => {
  assert.equal(ago(at(-10), NOW), "just now");
  assert.equal(ago(at(-5 * 60), NOW), "5 minutes ago");
  assert.equal(ago(at(-3 * 3600), NOW), "3 hours ago");
  assert.equal(ago(at(2 * 3600), NOW), "in 2 hours");
  assert.equal(ago(at(-86400), NOW), "yesterday");
});

test("a due date within a week reads relative, overdue when not done", () => {
  assert.deepEqual(dueWords(at(3 * 86400), false, NOW), { overdue: false, text: "Due in 3 days" });
  assert.deepEqual(dueWords(at(90), false, NOW), { overdue: false, text: "Due in 2 minutes" });
  assert.deepEqual(dueWords(at(-2 * 86400), false, NOW), { overdue: true, text: "Overdue by 2 days" });
  assert.deepEqual(dueWords(at(-3600), true, NOW), { overdue: false, text: "Was due 1 hour ago" });
});

test("a due date a week or more away reads as a date", () => {
  const far = at(10 * 86400);
  assert.deepEqual(dueWords(far, false, NOW), { overdue: false, text: `Due ${dayDate(far)}` });
  const past = at(-8 * 86400);
  assert.deepEqual(dueWords(past, false, NOW), { overdue: true, text: `Overdue since ${dayDate(past)}` });
});

test("a Retry-After reads in whole minutes, a minute when unknown", () => {
  assert.equal(retryWords("30"), "a minute");
  assert.equal(retryWords("61"), "2 minutes");
  assert.equal(retryWords(null), "a minute");
});
