// The words the inbox shows for the server's codes. Pure: no DOM.
import { dayOf, shortDay } from "./dates.js";

export const STATUS_LABELS = {
  PENDING: "Pending",
  IN_PROGRESS: "In progress",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
};

export const PRIORITY_LABELS = { LOW: "Low", MEDIUM: "Medium", HIGH: "High", URGENT: "Urgent" };

export const KIND_LABELS = {
  TASK_ASSIGNED: "Assigned",
  TASK_UPDATED: "Updated",
  TASK_COMMENT: "Comment",
  TASK_MENTIONED: "Mention",
  TASK_DUE_SOON: "Due soon",
  TASK_OVERDUE: "Overdue",
  VISA_APPLICATION_ASSIGNED: "Visa application",
  VISA_STATUS_UPDATE: "Visa status",
  SYSTEM: "Announcement",
  DOCUMENT_EXPIRING: "Expiring",
  DOCUMENT_EXPIRED: "Expired",
  TASK_QUEUED: "Queued",
  TASK_ESCALATED: "Escalated",
};

/** A code as the server's messages word it: TO_BE_APPLIED → "To be applied". */
export const codeLabel = (code) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, " ");

export const kindLabel = (type) => KIND_LABELS[type] || "Notice";

export const clientName = (c) => `${c.first_name} ${c.last_name}`.trim();

export const visaName = (v) =>
  `${v.visa_type}${v.reference ? ` (${v.reference})` : ""} · ${codeLabel(v.status)}`;

export const isDone = (task) => task.status === "COMPLETED" || task.status === "CANCELLED";

/** "1 update", "5 updates". */
export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** How a user is named on the page; `users` maps id → user. */
export function userName(users, id) {
  if (id === null || id === undefined) return "Nobody";
  const user = users.get(id);
  if (!user) return `user #${id}`;
  return user.full_name || user.username;
}

/** The option text of a user in a picker: "Me (…)", "Full Name (@user)". */
export function userOption(user, meId) {
  if (user.id === meId) return `Me (${user.full_name || user.username})`;
  return user.full_name ? `${user.full_name} (@${user.username})` : `@${user.username}`;
}

/** The days of an absence at the office: {first, last} as YYYY-MM-DD, the
 * last being the day of its final moment (one ending at midnight on the 15th
 * is away until the 14th). */
export function absenceDays(absence, timeZone) {
  const last = new Date(Date.parse(absence.ends_at) - 1).toISOString();
  return { first: dayOf(absence.starts_at, timeZone), last: dayOf(last, timeZone) };
}

/** An absence in a picker's words: "away until 14 Dec, goes to Ana Lima"
 * while it lasts, "away from 20 Dec until 24 Dec" before, "" when there is
 * none or it has ended. `delegate`: the delegate's name. */
export function awayWords(absence, delegate, now = Date.now(), timeZone = undefined) {
  if (!absence || Date.parse(absence.ends_at) <= now) return "";
  const { first, last } = absenceDays(absence, timeZone);
  if (Date.parse(absence.starts_at) <= now) return `away until ${shortDay(last)}, goes to ${delegate}`;
  return `away from ${shortDay(first)} until ${shortDay(last)}`;
}

/** What a notification group is about: its latest title without "Task updated: ". */
export function subjectOf(note) {
  const at = note.title.indexOf(": ");
  return at > 0 ? note.title.slice(at + 2) : note.title;
}

/** The id a notification's meta_info names under `key` ("task_id",
 * "document_id", "visa_application_id", "client_id"), or null. */
export function metaId(note, key) {
  const id = note.meta_info && note.meta_info[key];
  return Number.isInteger(id) ? id : null;
}

/** The task a notification is about, or null. */
export const taskIdOf = (note) => metaId(note, "task_id");

/** A comment split into text and @mentions of known usernames (lower case). */
export function mentionParts(body, known) {
  return body
    .split(/(@[A-Za-z0-9._-]+)/)
    .filter((part) => part !== "")
    .map((part) =>
      part.startsWith("@") && known.has(part.slice(1).toLowerCase())
        ? { mention: part }
        : { text: part },
    );
}

/** An API error's field problems in one line: "title: too long; due_date: …". */
export function fieldsText(fields) {
  return Object.entries(fields || {})
    .map(([name, problems]) => `${name}: ${[].concat(problems).join(" ")}`)
    .join("; ");
}
