// Date wording: one rule for the whole inbox, in the office's time zone (set
// once signed in, from GET /api/v1/calendar/). Pure: `now` (ms) can be given.

const WEEK = 7 * 86400; // seconds: due dates nearer than this read as relative
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
let zone; // undefined: the browser's own, until the office's is known
let formats = {};

/** Write every date as the office reads them: in its IANA zone. */
export function useZone(timeZone) {
  zone = timeZone;
  formats = {};
}

function format(name, options) {
  if (!formats[name]) {
    formats[name] = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
  }
  return formats[name];
}

export const fullDate = (iso) =>
  format("full", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
export const clockTime = (iso) => format("clock", { timeStyle: "short" }).format(new Date(iso));
export const dayDate = (iso) => format("day", { dateStyle: "medium" }).format(new Date(iso));

/** A day written as YYYY-MM-DD (a document's expiry), as a date: never shifted
 * by a zone, since it is a day, not a moment. */
export const calendarDay = (ymd) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${ymd}T00:00:00Z`),
  );

/** A day as YYYY-MM-DD with its weekday: "Thu, 24 Dec 2026". */
export const weekdayDay = (ymd) =>
  new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${ymd}T00:00:00Z`));

/** A day as YYYY-MM-DD, short: "14 Dec". */
export const shortDay = (ymd) =>
  new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${ymd}T00:00:00Z`),
  );

/** The moment a day (YYYY-MM-DD) begins at the office, as ISO 8601 in UTC. */
export function dayStart(ymd, timeZone = zone) {
  const midnight = Date.parse(`${ymd}T00:00:00Z`);
  let guess = midnight;
  // The zone's offset at the guess, twice: a day may begin across a change
  // of offset (summer time).
  for (let i = 0; i < 2; i++) guess = midnight - offsetAt(guess, timeZone);
  return new Date(guess).toISOString();
}

/** The zone's offset from UTC at a moment, in ms. */
function offsetAt(ms, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The day after a YYYY-MM-DD. */
export function nextDay(ymd) {
  const day = new Date(`${ymd}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** The office's date of a moment, as YYYY-MM-DD. */
export function dayOf(iso, timeZone = zone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Today at the office, as YYYY-MM-DD. */
export const today = (now = Date.now(), timeZone = zone) => dayOf(new Date(now), timeZone);

/** Whole days from one YYYY-MM-DD to another. */
export const daysBetween = (from, to) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);

/** "just now", "5 minutes ago", "in 2 hours", …; the date beyond a week. */
export function ago(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < WEEK) return relative.format(Math.round(seconds / 86400), "day");
  return fullDate(iso);
}

/** One rule for due dates, in the list and the task view alike: relative
 * within a week ("Due in 3 days", "Overdue by 2 days"), the date beyond.
 * `done`: a finished task is never overdue. */
export function dueWords(dueIso, done, now = Date.now()) {
  const seconds = (new Date(dueIso).getTime() - now) / 1000;
  const overdue = seconds < 0 && !done;
  const abs = Math.abs(seconds);
  if (abs >= WEEK) {
    const date = dayDate(dueIso);
    return { overdue, text: overdue ? `Overdue since ${date}` : `Due ${date}` };
  }
  const [n, unit] =
    abs < 3600
      ? [Math.max(1, Math.round(abs / 60)), "minute"]
      : abs < 86400
        ? [Math.round(abs / 3600), "hour"]
        : [Math.round(abs / 86400), "day"];
  const span = `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (overdue) return { overdue, text: `Overdue by ${span}` };
  return { overdue, text: seconds < 0 ? `Was due ${span} ago` : `Due in ${span}` };
}

/** A document's expiry in words, from the office's today: "expires in 29
 * days", "expires today", "expired 3 days ago". */
export function expiryWords(expiresOn, todayYmd) {
  const left = daysBetween(todayYmd, expiresOn);
  if (left === 0) return { expired: true, text: "expires today" };
  if (left < 0) {
    return { expired: true, text: `expired ${-left} day${left === -1 ? "" : "s"} ago` };
  }
  return { expired: false, text: `expires in ${left} day${left === 1 ? "" : "s"}` };
}

/** A Retry-After header in words: "a minute", "3 minutes". */
export function retryWords(retryAfter) {
  const seconds = Number(retryAfter) || 60;
  const n = Math.ceil(seconds / 60);
  return n === 1 ? "a minute" : `${n} minutes`;
}
