import assert from "node:assert/strict";
import { test } from "node:test";

import {
  codeLabel,
  fieldsText,
  kindLabel,
  mentionParts,
  plural,
  subjectOf,
  taskIdOf,
  userName,
  userOption,
  visaName,
} from "../../leopard/static/labels.js";

test("a code reads as the server's messages word it", () => {
  assert.equal(codeLabel("TO_BE_APPLIED"), "To be applied");
  assert.equal(codeLabel("GRANTED"), "Granted");
});

test("an unknown notification type reads as a notice", () => {
  assert.equal(kindLabel("TASK_MENTIONED"), "Mention");
  assert.equal(kindLabel("SOMETHING_NEW"), "Notice");
});

test("a visa application names its type, reference and status", () => {
  const visa = { visa_type: "Partner", reference: "PX-1", status: "VISA_APPLIED" };
  assert.equal(visaName(visa), "Partner (PX-1) · Visa applied");
  assert.equal(visaName({ ...visa, reference: "" }), "Partner · Visa applied");
});

test("a user is named by full name, else username, else by id", () => {
  const users = new Map([
    [1, { id: 1, username: "maria", full_name: "Maria K" }],
    [2, { id: 2, username: "tom", full_name: "" }],
  ]);
  assert.equal(userName(users, 1), "Maria K");
  assert.equal(userName(users, 2), "tom");
  assert.equal(userName(users, 9), "user #9");
  assert.equal(userName(users, null), "Nobody");
  assert.equal(userOption(users.get(1), 1), "Me (Maria K)");
  assert.equal(userOption(users.get(1), 2), "Maria K (@maria)");
  assert.equal(userOption(users.get(2), 1), "@tom");
});

test("a group's subject is its latest title without the kind of change", () => {
  assert.equal(subjectOf({ title: "Task updated: Call the client" }), "Call the client");
  assert.equal(subjectOf({ title: "Office closed Friday" }), "Office closed Friday");
});

test("only an integer task_id makes a notification about a task", () => {
  assert.equal(taskIdOf({ meta_info: { task_id: 12 } }), 12);
  assert.equal(taskIdOf({ meta_info: { task_id: "12" } }), null);
  assert.equal(taskIdOf({ meta_info: null }), null);
});

test("only known usernames are set apart as mentions", () => {
  const parts = mentionParts("ask @Maria and @nobody.", new Set(["maria"]));
  assert.deepEqual(parts, [
    { text: "ask " },
    { mention: "@Maria" },
    { text: " and " },
    { text: "@nobody." },
  ]);
});

test("field problems read in one line", () => {
  assert.equal(fieldsText({ title: ["Too long."], due_date: "Not a date." }), "title: Too long.; due_date: Not a date.");
  assert.equal(fieldsText(undefined), "");
  assert.equal(plural(1, "comment"), "1 comment");
  assert.equal(plural(3, "comment"), "3 comments");
});
