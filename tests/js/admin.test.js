import assert from "node:assert/strict";
import { test } from "node:test";

import { calendarWords, closureProblem } from "../../leopard/static/closures.js";
import { namesOf, teamBody } from "../../leopard/static/teams-admin.js";
import {
  assignChoices,
  assignTo,
  assignValue,
  MAX_TASKS,
  problemWords,
  taskWords,
  templateBody,
  triggerWords,
} from "../../leopard/static/template-rows.js";

const userName = (id) => ({ 3: "Tom Becker" })[id] || `user #${id}`;
const teamName = (id) => ({ 1: "Intake" })[id] || `team #${id}`;

test("an assign_to goes to a select's value and back unchanged", () => {
  for (const assign of ["application_assignee", "acting_user", { user: 3 }, { team: 1 }]) {
    assert.deepEqual(assignTo(assignValue(assign)), assign);
  }
  assert.equal(assignValue(undefined), "application_assignee"); // the API's default
  assert.equal(assignValue({ team: 12 }), "team:12");
});

test("the assign choices: the two roles, then teams' queues, then people", () => {
  const groups = assignChoices([{ id: 3, username: "tom" }], [{ id: 1, name: "Intake" }], (u) => `@${u.username}`);
  assert.deepEqual(
    groups.map((g) => [g.label, g.options.map((o) => o.value)]),
    [
      [null, ["application_assignee", "acting_user"]],
      ["A team's queue", ["team:1"]],
      ["A person", ["user:3"]],
    ],
  );
  assert.equal(groups[1].options[0].label, "Intake (queue)");
  assert.equal(assignChoices([], [], String).length, 1); // no empty groups
});

test("a template reads in words", () => {
  assert.equal(
    triggerWords({ visa_type: "Partner (820)", on_status: "VISA_APPLIED" }),
    "When a Partner (820) application becomes visa applied",
  );
  assert.equal(triggerWords({ visa_type: null, on_status: "GRANTED" }), "When any application becomes granted");
  const task = { priority: "HIGH", due_in_business_days: 1, assign_to: { team: 1 } };
  assert.equal(taskWords(task, userName, teamName), "High · due in 1 business day · to the Intake queue");
  const other = { priority: "LOW", due_in_business_days: null, assign_to: { user: 3 } };
  assert.equal(taskWords(other, userName, teamName), "Low · no due date · to Tom Becker");
  const acting = { priority: "MEDIUM", due_in_business_days: 20, assign_to: "acting_user" };
  assert.equal(taskWords(acting, userName, teamName), "Medium · due in 20 business days · to whoever changes the status");
});

const FIELDS = { name: " Partner lodged ", visaType: "  ", onStatus: "VISA_APPLIED", active: true };
const ROW = { title: " Book the medical ", detail: "", priority: "MEDIUM", days: "", assign: "application_assignee", tags: [] };

test("a template's body comes from the form, trimmed, empty meaning none", () => {
  const { body } = templateBody(FIELDS, [
    { ...ROW, days: "10", assign: "team:1", tags: ["medical"], detail: "Panel physician" },
    { ...ROW, title: "Diarise", assign: "acting_user" },
  ]);
  assert.deepEqual(body, {
    name: "Partner lodged",
    visa_type: null,
    on_status: "VISA_APPLIED",
    active: true,
    tasks: [
      {
        title: "Book the medical",
        detail: "Panel physician",
        priority: "MEDIUM",
        tags: ["medical"],
        due_in_business_days: 10,
        assign_to: { team: 1 },
      },
      { title: "Diarise", detail: "", priority: "MEDIUM", tags: [], due_in_business_days: null, assign_to: "acting_user" },
    ],
  });
});

test("a template's form says what to fix first, and which row", () => {
  assert.deepEqual(templateBody({ ...FIELDS, name: " " }, [ROW]), { error: "A template needs a name." });
  assert.deepEqual(templateBody(FIELDS, []), { error: "A template needs at least one task." });
  assert.deepEqual(templateBody(FIELDS, [ROW, { ...ROW, title: "" }]), { error: "Task 2 needs a title.", row: 1 });
  for (const days of ["0", "367", "2.5"]) {
    const { error, row } = templateBody(FIELDS, [{ ...ROW, days }]);
    assert.match(error, /^Task 1: business days are a whole number from 1 to 366\.$/);
    assert.equal(row, 0);
  }
  const many = Array.from({ length: MAX_TASKS + 1 }, () => ROW);
  assert.match(templateBody(FIELDS, many).error, /at most 50 tasks/);
});

test("the server's refusal of a template names the task", () => {
  assert.equal(
    problemWords({ "tasks.1.assign_to": ["no team with id 9"], name: ["taken"] }),
    "Task 2, assign to: no team with id 9; name: taken",
  );
});

test("a team's body: leads are members, and a name is needed", () => {
  const picks = [
    { id: 2, member: true, lead: true },
    { id: 3, member: false, lead: true }, // a lead not ticked as member
    { id: 4, member: true, lead: false },
    { id: 5, member: false, lead: false },
  ];
  assert.deepEqual(teamBody(" Intake ", picks), {
    body: { name: "Intake", member_ids: [2, 3, 4], lead_ids: [2, 3] },
  });
  assert.deepEqual(teamBody("  ", picks), { error: "A team needs a name." });
  assert.equal(namesOf([3, 7], userName), "Tom Becker, user #7");
  assert.equal(namesOf([], userName), "nobody yet");
});

test("a closure needs a day not passed and a name", () => {
  assert.equal(closureProblem("", "Party", "2026-12-07"), "Pick the day the office is closed.");
  assert.match(closureProblem("2026-12-24", " ", "2026-12-07"), /^Give the closure a name/);
  assert.equal(closureProblem("2026-12-06", "Party", "2026-12-07"), "That day has passed.");
  assert.equal(closureProblem("2026-12-07", "Party", "2026-12-07"), null);
});

test("the closures page says what the calendar counts already", () => {
  assert.match(calendarWords({ weekend: ["Sat", "Sun"], holidays: "AU-NSW" }), /the weekend \(Sat and Sun\) and the public holidays of AU-NSW\./);
  assert.match(calendarWords({ weekend: ["Fri"], holidays: null }), /the weekend \(Fri\) and no public holidays\./);
});
