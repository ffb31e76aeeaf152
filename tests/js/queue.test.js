import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError } from "../../leopard/static/api.js";
import { claimedBy, touchesQueue } from "../../leopard/static/queue.js";

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

test("the queue follows queued tasks and notifications read elsewhere", () => {
  const note = (type) => JSON.stringify({ id: 1, notification_type: type });
  assert.ok(touchesQueue("notification", note("TASK_QUEUED")));
  assert.ok(!touchesQueue("notification", note("TASK_COMMENT")));
  assert.ok(touchesQueue("read", JSON.stringify({ ids: [3] })));
  assert.ok(!touchesQueue("unread_count", JSON.stringify({ unread_count: 2 })));
  assert.ok(!touchesQueue("deleted", JSON.stringify({ ids: [3] })));
});
