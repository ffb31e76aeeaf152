import assert from "node:assert/strict";
import { test } from "node:test";

import {
  checklistOrder,
  checklistWords,
  holderWords,
  mayChange,
} from "../../leopard/static/checklist.js";
import { Store } from "../../leopard/static/store.js";

test("a checklist says how many of its tasks are done, none when it has none", () => {
  assert.equal(checklistWords({ open: 3, done: 2 }), "2 of 5 done");
  assert.equal(checklistWords({ open: 0, done: 1 }), "1 of 1 done");
  assert.equal(checklistWords({ open: 0, done: 0 }), null);
  assert.equal(checklistWords(undefined), null);
});

test("a checklist lists its tasks in the order they were made", () => {
  const tasks = [{ id: 9 }, { id: 4 }, { id: 7 }];
  assert.deepEqual(checklistOrder(tasks).map((t) => t.id), [4, 7, 9]);
  assert.deepEqual(tasks.map((t) => t.id), [9, 4, 7]); // a copy, not in place
});

test("who has a task: its assignee, its team's queue, or nobody", () => {
  const user = (id) => `user ${id}`;
  const team = (id) => `Intake ${id}`;
  assert.equal(holderWords({ assigned_to: 3, assigned_team: 1 }, user, team), "user 3");
  assert.equal(holderWords({ assigned_to: null, assigned_team: 1 }, user, team), "Waiting in Intake 1");
  assert.equal(holderWords({ assigned_to: null, assigned_team: null }, user, team), "Nobody yet");
});

test("a task is ticked off by its creator, its assignee or an admin", () => {
  const task = { created_by: 2, assigned_to: 3 };
  assert.ok(mayChange(task, { id: 2, role: "staff" }));
  assert.ok(mayChange(task, { id: 3, role: "staff" }));
  assert.ok(mayChange(task, { id: 4, role: "admin" }));
  assert.ok(!mayChange(task, { id: 4, role: "staff" }));
});

test("the store names teams and knows the signed-in user's, and keeps their absence", () => {
  const store = new Store();
  const me = { id: 2, username: "maria", full_name: "Maria K", role: "staff" };
  const away = { starts_at: "2026-12-01T00:00:00Z", ends_at: "2026-12-14T00:00:00Z", delegate_id: 3 };
  const teams = [
    { id: 1, name: "Intake", member_ids: [2, 3], lead_ids: [3] },
    { id: 2, name: "Visas", member_ids: [3], lead_ids: [] },
  ];
  store.signIn(me, [{ ...me, absence: away }, { id: 3, username: "tom", full_name: "", absence: null }], undefined, teams);
  assert.equal(store.teamName(1), "Intake");
  assert.equal(store.teamName(5), "team #5");
  assert.deepEqual(store.myTeams().map((t) => t.name), ["Intake"]);
  assert.deepEqual(store.users.get(2).absence, away);
  assert.equal(store.isAdmin, false);
  let told = 0;
  store.on("users", () => told++);
  store.setUsers([{ ...me, absence: null }]);
  assert.equal(store.users.get(2).absence, null);
  assert.equal(store.teams.size, 2); // kept when not given
  assert.equal(told, 1);
});
