// Date wording: one rule for the whole inbox. Pure: `now` (ms) can be given.

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const WEEK = 7 * 86400; // seconds: due dates nearer than this read as relative

export const fullDate = (iso) => dateFormat.format(new Date(iso));
export const clockTime = (iso) => timeFormat.format(new Date(iso));
export const dayDate = (iso) => dayFormat.format(new Date(iso));

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

/** A Retry-After header in words: "a minute", "3 minutes". */
export function retryWords(retryAfter) {
  const seconds = Number(retryAfter) || 60;
  const n = Math.ceil(seconds / 60);
  return n === 1 ? "a minute" : `${n} minutes`;
}
