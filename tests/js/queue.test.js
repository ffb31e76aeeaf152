import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError } from "../../leopard/static/api.js";
import { claimedBy, queueChange, releaseShown } from "../../leopard/static/queue.js";

const names = (id) => ({ 4: "Ana Lima" })[id] || `user #${id}`;
const refusal = (message, fields) =>
  new ApiError(409, { error: { status: 409, code: "already_claimed", message, fields } });

test("a claim that came second names who has the task, from its id", () => {
  const err = refusal("the task is already claimed by Ana", {
    assigned_to: ["claimed by Ana (user 4)"],
  });
  assert.equal(claimedBy(err, names), "Ana Lima");
});

test("without an id, the refusal's own words name them", () => {
  assert.equal(claimedBy(refusal("the task is already claimed by you", {}), names), "you");
  assert.equal(claimedBy(refusal("conflict", {}), names), "someone else");
});

test("the queue follows the stream's queue events, and only those", () => {
  const note = (type) => JSON.stringify({ id: 1, notification_type: type });
  const queue = (body) => JSON.stringify({ task_id: 7, team_id: 2, ...body });
  assert.deepEqual(queueChange("queue", queue({ queued: false })), { taskId: 7, teamId: 2, queued: false });
  assert.deepEqual(queueChange("queue", queue({ queued: true })), { taskId: 7, teamId: 2, queued: true });
  // The notifications no longer stand in for it: `event: queue` comes to
  // every member, whether they read their TASK_QUEUED or not.
  assert.equal(queueChange("notification", note("TASK_QUEUED")), null);
  assert.equal(queueChange("read", JSON.stringify({ ids: [3] })), null);
  assert.equal(queueChange("unread_count", JSON.stringify({ unread_count: 2 })), null);
  assert.equal(queueChange("deleted", JSON.stringify({ ids: [3] })), null);
});

test("a task is released by its assignee, a lead of its team or an admin", () => {
  const team = { id: 2, lead_ids: [9], member_ids: [3, 9] };
  const task = { assigned_team: 2, assigned_to: 3, status: "IN_PROGRESS" };
  assert.ok(releaseShown(task, 3, team, false)); // the assignee
  assert.ok(releaseShown(task, 9, team, false)); // the lead
  assert.ok(releaseShown(task, 5, undefined, true)); // an admin
  assert.ok(!releaseShown(task, 5, team, false)); // anyone else
  // Nothing to release: in the queue already, no team, or done.
  assert.ok(!releaseShown({ ...task, assigned_to: null }, 3, team, true));
  assert.ok(!releaseShown({ ...task, assigned_team: null }, 3, team, true));
  assert.ok(!releaseShown({ ...task, status: "COMPLETED" }, 3, team, true));
  assert.ok(!releaseShown({ ...task, status: "CANCELLED" }, 9, team, false));
});
