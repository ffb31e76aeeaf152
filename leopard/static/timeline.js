// A case's history in words: "Maria assigned 'Collect police certificate' to
// Tom", "Tom was told — seen 10:42, read 10:45". Pure: the names, users and
// dates come in `ctx` = {user(id), names (subject → name), moment(iso),
// date(ymd), clock(iso, since)}; the items from history-facts.js.
import { codeLabel } from "./labels.js";

// A field's name in a sentence, in the order a change names them.
const FIELDS = {
  first_name: "first name",
  last_name: "last name",
  email: "email",
  phone: "phone",
  visa_type: "visa type",
  reference: "reference",
  kind: "kind",
  title: "title",
  status: "status",
  priority: "priority",
  assigned_to: "assignee",
  responsible_id: "responsible person",
  due_date: "due date",
  lodged_at: "lodging date",
  decided_at: "decision date",
  issued_on: "issue date",
  expires_on: "expiry date",
  number: "number",
  client_id: "client",
  visa_application_id: "visa application",
  tags: "tags",
  detail: "details",
  notes: "notes",
};
const ORDER = Object.keys(FIELDS);
const CODES = new Set(["status", "priority", "kind"]);
const USERS = new Set(["assigned_to", "responsible_id"]);
const MOMENTS = new Set(["due_date", "lodged_at", "decided_at"]);
const DAYS = new Set(["issued_on", "expires_on"]);
// Named as changed, never quoted: too long to read in a line, or secret.
const UNQUOTED = new Set(["detail", "notes", "number"]);
const LONG = 60; // characters: a longer text is named, not quoted
const EXCERPT = 120; // characters of a comment shown

// Why Leopard escalated a task (the "escalated" entry's reason).
const ESCALATED = {
  unseen: "its assignee had not seen it in time",
  overdue: "it was not done a business day after it was due",
};

const quote = (text) => `'${text}'`;

function excerpt(text) {
  const line = String(text).replace(/\s+/g, " ").trim();
  return line.length > EXCERPT ? `${line.slice(0, EXCERPT - 1)}…` : line;
}

const empty = (value) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);

/** How the timeline names a subject: 'Collect police certificate', the
 * Skilled worker (482) application, the passport, Ana Ruiz. */
export function subjectRef(subject, names) {
  const [kind, id] = subject.split(":");
  const name = names.get(subject);
  if (kind === "task") return name ? quote(name) : `task #${id}`;
  if (kind === "visa_application") {
    return name ? `the ${name} application` : `visa application #${id}`;
  }
  if (kind === "document") return name ? `the ${name.toLowerCase()}` : `document #${id}`;
  return name || `client #${id}`;
}

/** subject → name, from what the page loaded (its current state) and, for
 * what is gone, from the entries (oldest first: a later change wins). */
export function subjectNames(entries, { clients = [], visas = [], documents = [], tasks = [] }) {
  const names = new Map();
  const people = new Map(); // client subject → {first_name, last_name}
  const latest = (pair) => (pair ? (pair[1] ?? pair[0]) : null);
  for (const { subject, changes } of entries) {
    const kind = subject.split(":")[0];
    if (kind === "client") {
      const person = people.get(subject) || {};
      for (const key of ["first_name", "last_name"]) {
        person[key] = latest(changes[key]) ?? person[key];
      }
      people.set(subject, person);
      const name = [person.first_name, person.last_name].filter(Boolean).join(" ");
      if (name) names.set(subject, name);
      continue;
    }
    const field = { task: "title", visa_application: "visa_type", document: "kind" }[kind];
    const value = latest(changes[field]);
    if (value) names.set(subject, kind === "document" ? codeLabel(value) : value);
  }
  for (const c of clients) names.set(`client:${c.id}`, `${c.first_name} ${c.last_name}`.trim());
  for (const v of visas) names.set(`visa_application:${v.id}`, v.visa_type);
  for (const d of documents) names.set(`document:${d.id}`, codeLabel(d.kind));
  for (const t of tasks) names.set(`task:${t.id}`, t.title);
  return names;
}

/** A field's value in words; null when it is not to be quoted. */
function shown(field, value, ctx) {
  if (empty(value)) return "none";
  if (UNQUOTED.has(field)) return null;
  if (CODES.has(field)) return codeLabel(String(value));
  if (USERS.has(field)) return ctx.user(value);
  if (MOMENTS.has(field)) return ctx.moment(value);
  if (DAYS.has(field)) return ctx.date(value);
  if (field === "client_id") return subjectRef(`client:${value}`, ctx.names);
  if (field === "visa_application_id") return subjectRef(`visa_application:${value}`, ctx.names);
  const text = Array.isArray(value) ? value.join(", ") : String(value);
  if (text.length > LONG) return null;
  return field === "title" ? quote(text) : text;
}

/** " from X to Y", " to Y", or "" when the values are not to be quoted. */
function fromTo(field, [old, now], ctx) {
  const [before, after] = [shown(field, old, ctx), shown(field, now, ctx)];
  if (before === null || after === null) return "";
  return empty(old) ? ` to ${after}` : ` from ${before} to ${after}`;
}

/** "a", "a and b", "a, b and c". */
function inWords(parts) {
  return parts.length < 2 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const rank = (field) => (ORDER.includes(field) ? ORDER.indexOf(field) : ORDER.length);
const byOrder = ([a], [b]) => rank(a) - rank(b);

function changedText(actor, ref, changes, ctx) {
  const parts = Object.entries(changes)
    .sort(byOrder)
    .map(([field, pair], i) => {
      const name = FIELDS[field] || field.replace(/_/g, " ");
      return `${i === 0 ? `the ${name} of ${ref}` : `its ${name}`}${fromTo(field, pair, ctx)}`;
    });
  return `${actor} changed ${parts.length ? inWords(parts) : ref}`;
}

function createdText(actor, entry, ref, ctx) {
  const { changes } = entry;
  const kind = entry.subject.split(":")[0];
  const assignee = changes.assigned_to && changes.assigned_to[1];
  const assigned = empty(assignee) ? "" : `, assigned to ${ctx.user(assignee)}`;
  if (kind === "client") return `${actor} added the client ${ref}`;
  if (kind === "visa_application") return `${actor} opened ${ref}${assigned}`;
  if (kind === "document") {
    const expires = changes.expires_on && changes.expires_on[1];
    return `${actor} added ${ref}${expires ? `, expiring ${ctx.date(expires)}` : ""}`;
  }
  return `${actor} created ${ref}${assigned}`;
}

/** One entry (not a notification's) as a sentence. */
export function entryText(entry, ctx) {
  const actor = entry.actor_id === null ? "Leopard" : ctx.user(entry.actor_id);
  const ref = subjectRef(entry.subject, ctx.names);
  const { changes } = entry;
  const [from, to] = changes.assigned_to || [null, null];
  const toWhom = empty(to) ? "" : ` to ${ctx.user(to)}`;
  const recipient = () => ctx.user(entry.recipient_id);
  switch (entry.action) {
    case "created":
      return createdText(actor, entry, ref, ctx);
    case "changed":
      return changedText(actor, ref, changes, ctx);
    case "deleted":
      return `${actor} deleted ${entry.subject.startsWith("client:") ? `the client ${ref}` : ref}`;
    case "assigned":
      if (toWhom) return `${actor} assigned ${ref}${toWhom}`;
      return `${actor} unassigned ${ref}${empty(from) ? "" : ` (was ${ctx.user(from)})`}`;
    case "claimed":
      return `${actor} claimed ${ref}`;
    case "released":
      return `${actor} released ${ref} to the queue`;
    case "delegated": {
      // Assigned to someone away: their delegate has it (the assignment is an
      // entry of its own).
      const who = empty(from) ? "" : `, standing in for ${ctx.user(from)} while away`;
      const it = ref.charAt(0).toUpperCase() + ref.slice(1);
      return toWhom ? `${it} went${toWhom}${who}` : `${actor} delegated ${ref}`;
    }
    case "escalated": {
      const why = ESCALATED[changes.reason && changes.reason[1]];
      return `${actor} escalated ${ref}${toWhom}${why ? `: ${why}` : ""}`;
    }
    case "commented": {
      const body = changes.body && changes.body[1];
      return `${actor} commented on ${ref}${body ? `: “${excerpt(body)}”` : ""}`;
    }
    case "delivered":
      return `${recipient()} saw a notification about ${ref}`;
    case "read":
      return `${recipient()} read a notification about ${ref}`;
    case "emailed":
      return `A notification about ${ref} was emailed to ${recipient()}`;
    default:
      return `${actor}: ${entry.action} ${ref}`;
  }
}

/** "Tom was told — seen 10:42, read 10:45" (`about`: "Tom was told about
 * the passport — …"), or "— not seen yet". */
export function receiptText(receipt, ctx, about = null) {
  const who = ctx.user(receipt.recipientId);
  const facts = [
    receipt.delivered ? `seen ${ctx.clock(receipt.delivered, receipt.at)}` : null,
    receipt.read ? `read ${ctx.clock(receipt.read, receipt.at)}` : null,
    receipt.emailed ? `emailed ${ctx.clock(receipt.emailed, receipt.at)}` : null,
  ].filter(Boolean);
  const told = about ? `${who} was told about ${about}` : `${who} was told`;
  return `${told} — ${facts.length ? facts.join(", ") : "not seen yet"}`;
}

/** An item's sentence and its receipts' lines: {text, receipts: [text]}. */
export function itemWords(item, ctx) {
  const { entry } = item;
  if (entry.action === "notified") {
    const about = subjectRef(entry.subject, ctx.names);
    return { text: receiptText(item.receipts[0], ctx, about), receipts: [] };
  }
  return { text: entryText(entry, ctx), receipts: item.receipts.map((r) => receiptText(r, ctx)) };
}

/** Items (newest first) by the office's day: [{day, items}]. */
export function timelineDays(items, dayOf) {
  const days = [];
  for (const item of items) {
    const day = dayOf(item.entry.at);
    if (!days.length || days.at(-1).day !== day) days.push({ day, items: [] });
    days.at(-1).items.push(item);
  }
  return days;
}
