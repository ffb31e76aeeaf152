import assert from "node:assert/strict";
import { test } from "node:test";

import { EventGate } from "../../leopard/static/gate.js";
import { channelAction, eventIds, frameAction, nextDelay } from "../../leopard/static/stream.js";

test("a notification for another user is foreign: the tab asks for its own ticket", () => {
  const data = JSON.stringify({ id: 4, assigned_to: 2 });
  assert.equal(frameAction("notification", data, 1), "foreign");
  assert.equal(frameAction("notification", data, 2), "dispatch");
  assert.equal(frameAction("unread_count", '{"unread_count":1}', 1), "dispatch");
  assert.equal(frameAction("notification", data, null), "dispatch");
});

test("the leader answers a newcomer and ignores the rest", () => {
  assert.deepEqual(channelAction(true, { type: "hello" }), { reply: "conn" });
  assert.equal(channelAction(true, { type: "notification", data: "{}" }), null);
  assert.equal(channelAction(true, { type: "conn", state: "live" }), null);
});

test("a follower takes the leader's state and events, with the id reached", () => {
  assert.equal(channelAction(false, { type: "hello" }), null);
  assert.deepEqual(channelAction(false, { type: "conn", state: "live" }), { conn: "live" });
  assert.deepEqual(channelAction(false, { type: "read", data: '{"ids":[3]}', id: 9 }), {
    event: { type: "read", data: '{"ids":[3]}' },
    id: 9,
  });
});

test("reopening waits twice as long each time, at most 30 s", () => {
  assert.equal(nextDelay(1000), 2000);
  assert.equal(nextDelay(20000), 30000);
  assert.equal(nextDelay(30000), 30000);
});

test("read, unread and deleted name ids or all", () => {
  assert.deepEqual(eventIds({ ids: [1, 2] }), [1, 2]);
  assert.equal(eventIds({ all: true }), "all");
  assert.deepEqual(eventIds({}), []);
});

test("events wait while the page loads, in order; waiting counts become one recount", async () => {
  const delivered = [];
  const gate = new EventGate((event) => delivered.push(event.type));
  gate.pass({ type: "read" });
  assert.deepEqual(delivered, ["read"]);
  gate.hold();
  let settled = false;
  gate.loaded.then(() => (settled = true));
  for (const type of ["notification", "unread_count", "deleted", "unread_count"]) {
    gate.pass({ type });
  }
  assert.deepEqual(delivered, ["read"]);
  let recounts = 0;
  await gate.open(async () => recounts++);
  assert.deepEqual(delivered, ["read", "notification", "deleted"]);
  assert.equal(recounts, 1);
  await Promise.resolve();
  assert.equal(settled, true);
  gate.pass({ type: "unread_count" });
  assert.deepEqual(delivered.at(-1), "unread_count");
});

test("without a waiting count there is no recount; after a reset nothing waits", async () => {
  const delivered = [];
  const gate = new EventGate((event) => delivered.push(event.type));
  gate.hold();
  gate.pass({ type: "notification" });
  gate.reset();
  gate.pass({ type: "read" });
  assert.deepEqual(delivered, ["read"]);
  let recounts = 0;
  await gate.open(async () => recounts++);
  assert.equal(recounts, 0);
});
