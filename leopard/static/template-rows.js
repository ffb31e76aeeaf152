// A task template as the admin pages read and write it: the "assign to"
// choices, a template in words, and the body of POST/PATCH
// /api/v1/task-templates/ from the form's rows. Pure: no DOM.
import { codeLabel, PRIORITY_LABELS } from "./labels.js";

export const MAX_TASKS = 50;

/** An assign_to as a <select> value: "application_assignee", "acting_user",
 * "user:3", "team:1". */
export function assignValue(assignTo) {
  if (assignTo && typeof assignTo === "object") {
    return "user" in assignTo ? `user:${assignTo.user}` : `team:${assignTo.team}`;
  }
  return assignTo || "application_assignee";
}

/** A <select> value back as the API's assign_to. */
export function assignTo(value) {
  const [kind, id] = value.split(":");
  if (kind === "user" || kind === "team") return { [kind]: Number(id) };
  return value;
}

/** The "assign to" choices: [{label, options: [{value, label}]}] (the first
 * group has no label). `users` and `teams` as the API lists them. */
export function assignChoices(users, teams, userLabel) {
  return [
    {
      label: null,
      options: [
        { value: "application_assignee", label: "The application's assignee" },
        { value: "acting_user", label: "Whoever changes the status" },
      ],
    },
    {
      label: "A team's queue",
      options: teams.map((t) => ({ value: `team:${t.id}`, label: `${t.name} (queue)` })),
    },
    {
      label: "A person",
      options: users.map((u) => ({ value: `user:${u.id}`, label: userLabel(u) })),
    },
  ].filter((group) => group.options.length);
}

/** Who a template's task goes to, in words. */
export function assignWords(assign, userName, teamName) {
  const value = assignValue(assign);
  if (value === "application_assignee") return "the application's assignee";
  if (value === "acting_user") return "whoever changes the status";
  const { user, team } = assignTo(value);
  return user ? userName(user) : `the ${teamName(team)} queue`;
}

/** "When a Partner (820) application becomes Visa applied". */
export function triggerWords(template) {
  const what = template.visa_type ? `a ${template.visa_type}` : "any";
  return `When ${what} application becomes ${codeLabel(template.on_status).toLowerCase()}`;
}

/** A template's task in a line: "High · due in 5 business days · to Tom". */
export function taskWords(task, userName, teamName) {
  const days = task.due_in_business_days;
  return [
    PRIORITY_LABELS[task.priority] || task.priority,
    days ? `due in ${days} business day${days === 1 ? "" : "s"}` : "no due date",
    `to ${assignWords(task.assign_to, userName, teamName)}`,
  ].join(" · ");
}

/** The body of POST/PATCH from the form: fields {name, visaType, onStatus,
 * active} and rows [{title, detail, priority, days, assign, tags}] (text as
 * typed); {body} or {error} saying what to fix first. */
export function templateBody(fields, rows) {
  const name = fields.name.trim();
  if (!name) return { error: "A template needs a name." };
  if (!rows.length) return { error: "A template needs at least one task." };
  if (rows.length > MAX_TASKS) return { error: `A template has at most ${MAX_TASKS} tasks.` };
  const tasks = [];
  for (const [i, row] of rows.entries()) {
    const title = row.title.trim();
    if (!title) return { error: `Task ${i + 1} needs a title.`, row: i };
    const days = row.days.trim();
    const n = Number(days);
    if (days && (!Number.isInteger(n) || n < 1 || n > 366)) {
      return { error: `Task ${i + 1}: business days are a whole number from 1 to 366.`, row: i };
    }
    tasks.push({
      title,
      detail: row.detail,
      priority: row.priority,
      tags: row.tags || [],
      due_in_business_days: days ? n : null,
      assign_to: assignTo(row.assign),
    });
  }
  const visaType = fields.visaType.trim();
  return {
    body: {
      name,
      visa_type: visaType || null,
      on_status: fields.onStatus,
      active: fields.active,
      tasks,
    },
  };
}

/** An API refusal's fields in words: "tasks.1.assign_to" → "Task 2, assign to". */
export function problemWords(fields) {
  return Object.entries(fields || {})
    .map(([name, problems]) => {
      const task = /^tasks\.(\d+)\.(\w+)$/.exec(name);
      const where = task
        ? `Task ${Number(task[1]) + 1}, ${task[2].replace(/_/g, " ")}`
        : name.replace(/_/g, " ");
      return `${where}: ${[].concat(problems).join(" ")}`;
    })
    .join("; ");
}
