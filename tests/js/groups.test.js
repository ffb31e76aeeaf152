import assert from "node:assert/strict";
import { test } from "node:test";

import { Groups, groupKey } from "../../leopard/static/groups.js";

const note = (id, group, read = false) => ({ id, group, read, title: `n${id}` });
const summary = (latest, count, unread) => ({ latest, count, unread_count: unread });

test("a notification without a group is a group of its own", () => {
  assert.equal(groupKey(note(7, null)), "id:7");
  assert.equal(groupKey(note(7, "task:3")), "task:3");
});

test("a notification the loaded page counted is not counted again", () => {
  const model = new Groups();
  // The first page counted every notification up to id 10.
  const g = model.addSummary(summary(note(10, "task:1"), 4, 2), 10);
  assert.equal(model.addSummary(summary(note(10, "task:1"), 4, 2), 10), null);
  assert.deepEqual(model.addNote(note(9, "task:1")), { kind: "counted", g });
  assert.equal(g.count, 4);
  assert.equal(model.addNote(note(10, "task:1")).kind, "known");
  const later = model.addNote(note(11, "task:1"));
  assert.deepEqual(later, { kind: "added", g, created: false });
  assert.deepEqual([g.count, g.unread, g.latest.id], [5, 3, 11]);
});

test("a notification of a new group makes the group", () => {
  const model = new Groups();
  const result = model.addNote(note(3, "visa_application:2", true));
  assert.equal(result.created, true);
  assert.deepEqual([result.g.count, result.g.unread], [1, 0]);
  assert.equal(model.size, 1);
});

test("read and unread change the counts once, and say what they did not hold", () => {
  const model = new Groups();
  const g = model.addSummary(summary(note(5, "task:1"), 3, 3), 5);
  model.fill(g, [note(5, "task:1"), note(4, "task:1"), note(2, "task:1")], 3);
  let changed = model.applyRead([5, 4, 99], true);
  assert.deepEqual(changed.notes.map((n) => n.id), [5, 4]);
  assert.equal(g.unread, 1);
  assert.equal(changed.unknown, true);
  changed = model.applyRead([5], true); // already read: nothing changes
  assert.deepEqual([changed.notes.length, g.unread, changed.unknown], [0, 1, false]);
  model.applyRead("all", false);
  assert.equal(g.unread, 3);
  model.applyRead("all", true);
  assert.equal(g.unread, 0);
});

test("a whole group listed makes its counts exact; a part leaves them", () => {
  const model = new Groups();
  const g = model.addSummary(summary(note(8, "task:2"), 9, 9), 8);
  model.fill(g, [note(8, "task:2"), note(6, "task:2", true)], 5);
  assert.deepEqual([g.count, g.unread], [9, 9]);
  model.fill(g, [note(8, "task:2"), note(6, "task:2", true)], 2);
  assert.deepEqual([g.count, g.unread, g.countedUpTo], [2, 1, 8]);
});

test("an older summary does not overwrite newer counts", () => {
  const model = new Groups();
  const g = model.addSummary(summary(note(8, "task:2"), 2, 1), 8);
  assert.equal(model.refresh(g, summary(note(7, "task:2"), 1, 0)), false);
  assert.deepEqual([g.count, g.unread], [2, 1]);
  assert.equal(model.refresh(g, summary(note(12, "task:2"), 6, 4)), true);
  assert.deepEqual([g.count, g.unread, g.countedUpTo], [6, 4, 12]);
});

test("a group removed forgets its notifications, and marked read reads them all", () => {
  const model = new Groups();
  const g = model.addSummary(summary(note(5, "task:1"), 2, 2), 5);
  model.fill(g, [note(5, "task:1"), note(3, "task:1")], 2);
  model.addNote(note(6, null));
  assert.deepEqual(model.markGroupRead(g).map((n) => n.id), [5, 3]);
  assert.equal(g.unread, 0);
  assert.deepEqual(model.remove(g).sort(), [3, 5]);
  assert.deepEqual([...model.notes.keys()], [6]);
});
