import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError } from "../../leopard/static/api.js";
import { passwordProblem, refusalText } from "../../leopard/static/password.js";
import { preferencesBody } from "../../leopard/static/preferences.js";
import { matchRoute, Router } from "../../leopard/static/router.js";
import { signInRefusal } from "../../leopard/static/signin.js";
import { receiptShown, receiptText } from "../../leopard/static/task-dialog.js";
import { taskQuery } from "../../leopard/static/tasks.js";

const refusal = (status, fields, retryAfter) => {
  const body = { error: { message: "Invalid input.", fields } };
  return Object.assign(new ApiError(status, body), { retryAfter });
};

test("a new password is checked for length and repetition first", () => {
  assert.equal(passwordProblem("short", "short"), "The new password needs 8 characters or more.");
  assert.equal(passwordProblem("long-enough", "long-enougH"), "The new passwords differ.");
  assert.equal(passwordProblem("long-enough", "long-enough"), null);
  assert.equal(refusalText(refusal(403)), "The current password is wrong.");
  assert.equal(refusalText(refusal(422, { new_password: ["Too common."] })), "Too common.");
});

test("a refused sign-in says why", () => {
  assert.equal(signInRefusal(refusal(401)), "Wrong username or password.");
  assert.equal(signInRefusal(refusal(429, {}, "120")), "Too many failed attempts; try again in 2 minutes.");
  assert.equal(signInRefusal(refusal(503)), "Signing in failed; try again.");
  assert.match(signInRefusal(new Error("offline")), /cannot be reached/);
});

test("preferences take whole minutes from 0 to 1440", () => {
  assert.deepEqual(preferencesBody(["TASK_UPDATED"], true, ["SYSTEM"], "15"), {
    body: {
      muted_types: ["TASK_UPDATED"],
      email: { enabled: true, types: ["SYSTEM"], after_minutes: 15 },
    },
  });
  for (const bad of ["1441", "-1", "2.5", "abc"]) {
    assert.match(preferencesBody([], false, [], bad).error, /whole number/, bad);
  }
});

test("an address names a task, or nothing", () => {
  const routes = [{ pattern: /^#task\/(\d+)$/ }];
  assert.equal(matchRoute(routes, "#task/12").match[1], "12");
  assert.equal(matchRoute(routes, "#task/x"), null);
  assert.equal(matchRoute(routes, ""), null);
});

test("a dialog's late close clears its own address, never a view's that came since", () => {
  const replaced = [];
  globalThis.location = { hash: "#visa/2", pathname: "/", search: "" };
  globalThis.history = { replaceState: (_, __, url) => replaced.push(url) };
  try {
    const router = new Router();
    router.add(/^#task\/(\d+)$/, () => {}, { over: true });
    router.add(/^#visa\/(\d+)$/, () => {});
    router.route(); // the visa's page is the view
    location.hash = "#task/1";
    router.route(); // a task over it
    location.hash = "#visa/2";
    router.clear(); // the address moved on to a view: it stays
    location.hash = "";
    router.clear(); // to nothing: it stays
    assert.deepEqual(replaced, []);
    location.hash = "#task/1";
    router.clear(); // the task's own address: back to the view's
    assert.deepEqual(replaced, ["/#visa/2"]);
  } finally {
    delete globalThis.location;
    delete globalThis.history;
  }
});

test("the receipt shows to the creator and the assigner, never to the assignee", () => {
  const task = { assigned_to: 3, created_by: 1, assigned_by: 2 };
  assert.equal(receiptShown(task, 1), true);
  assert.equal(receiptShown(task, 2), true);
  assert.equal(receiptShown(task, 3), false);
  assert.equal(receiptShown(task, 4), false);
  assert.equal(receiptShown({ ...task, assigned_to: null }, 1), false);
  const at = (iso) => iso.slice(11, 16);
  assert.equal(receiptText({ assignee_seen_at: null }, "Bob", at), "Not seen yet by Bob");
  assert.equal(
    receiptText({ assignee_seen_at: "2026-12-07T10:42:00Z", assignee_read_at: "2026-12-07T10:45:00Z" }, "Bob", at),
    "Seen by Bob at 10:42 · read at 10:45",
  );
});

test("each task view asks for its tasks", () => {
  assert.equal(String(taskQuery("open", 5)), "limit=100&assigned_to=me&ordering=due_date&status=PENDING%2CIN_PROGRESS");
  assert.equal(String(taskQuery("all", 5)), "limit=100&assigned_to=me&ordering=due_date");
  assert.equal(String(taskQuery("created", 5)), "limit=100&created_by=5&ordering=-created_at");
});
