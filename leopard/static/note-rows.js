// How a notification and a group of them look in the list. The panel
// (notifications.js) says what happens on a click through `actions`:
// {toggleRead(id), open(event, id), opened(id), toggleGroup(key),
// markGroupRead(key)}, and names people with actions.userName(id).
// An escalation stands out: its own words and a mark down its side.
import { ago, fullDate } from "./dates.js";
import { el, timeEl } from "./dom.js";
import { kindLabel, metaId, plural, subjectOf } from "./labels.js";

const ESCALATED_WHY = { unseen: "not seen in time", overdue: "overdue" };

/** A notification's kind in words: an escalation says why ("Escalated: not
 * seen in time", "Escalated: overdue"). */
export function noteKind(note) {
  const why = isEscalation(note) && ESCALATED_WHY[note.meta_info && note.meta_info.reason];
  return why ? `${kindLabel(note.notification_type)}: ${why}` : kindLabel(note.notification_type);
}

export const isEscalation = (note) => note.notification_type === "TASK_ESCALATED";

/** "For Tom Becker, who is away": a copy sent to a delegate; or null. */
export function onBehalfWords(note, userName) {
  const id = metaId(note, "on_behalf_of");
  return id === null ? null : `For ${userName(id)}, who is away`;
}

/** A notification's kind and age, and (withEmailed) when it was emailed. */
export function noteTop(note, withEmailed) {
  return el(
    "div",
    { className: "note-top" },
    el("span", { className: `kind${isEscalation(note) ? " escalated" : ""}` }, noteKind(note)),
    timeEl(note.created_at, ago(note.created_at)),
    withEmailed && note.emailed_at
      ? el("span", { className: "emailed", title: `Emailed ${fullDate(note.emailed_at)}` }, "emailed")
      : null,
  );
}

/** Where a notification leads when opened, or null: its task; else a
 * document's client's page (the deadlines without one); else its visa
 * application's page; else its client's. */
export function noteHref(note) {
  const taskId = metaId(note, "task_id");
  if (taskId) return `#task/${taskId}`;
  const clientId = metaId(note, "client_id");
  if (metaId(note, "document_id")) return clientId ? `#client/${clientId}` : "#deadlines";
  const visaId = metaId(note, "visa_application_id");
  if (visaId) return `#visa/${visaId}`;
  return clientId ? `#client/${clientId}` : null;
}

export function renderNote(note, actions) {
  const href = noteHref(note);
  const title = href
    ? el("a", { href, onclick: () => actions.opened(note.id) }, note.title)
    : note.title;
  const toggle = el("button", {
    type: "button",
    className: "btn small ghost",
    onclick: () => actions.toggleRead(note.id),
  });
  const behalf = actions.userName ? onBehalfWords(note, actions.userName) : null;
  const li = el(
    "li",
    {
      className: `note${href ? " opens" : ""}${isEscalation(note) ? " escalated" : ""}`,
      "data-id": note.id,
      onclick: (event) => actions.open(event, note.id),
    },
    el("span", { className: "mark", "aria-hidden": "true" }),
    el(
      "div",
      { className: "note-body" },
      noteTop(note, true),
      el("p", { className: "note-title" }, el("span", { className: "sr-only state" }), title),
      note.message ? el("p", { className: "note-message" }, note.message) : null,
      behalf ? el("p", { className: "note-behalf" }, behalf) : null,
    ),
    el("div", { className: "note-actions" }, toggle),
  );
  paintNote(li, note);
  return li;
}

export function paintNote(li, note) {
  li.classList.toggle("unread", !note.read);
  li.querySelector(".state").textContent = note.read ? "" : "Unread: ";
  const toggle = li.querySelector(".note-actions button");
  toggle.textContent = note.read ? "Mark unread" : "Mark read";
  toggle.setAttribute("aria-label", `${toggle.textContent}: ${note.title}`);
}

/** A group's row: "<subject> — 5 updates, 3 unread", a button that opens it
 * to its notifications (g.list), and one that marks them all read. */
export function renderGroupRow(g, actions) {
  const note = g.latest;
  const href = noteHref(note);
  const subject = subjectOf(note);
  const title = href
    ? el("a", { href, onclick: () => actions.markGroupRead(g.key) }, subject)
    : subject;
  const li = el(
    "li",
    {
      className: `note group${isEscalation(note) ? " escalated" : ""}`,
      onclick: (event) => {
        if (!event.target.closest("button, a, .group-notes")) actions.toggleGroup(g.key);
      },
    },
    el("span", { className: "mark", "aria-hidden": "true" }),
    el(
      "div",
      { className: "note-body" },
      noteTop(note, false),
      el(
        "p",
        { className: "note-title" },
        el("span", { className: "sr-only state" }),
        title,
        el("span", { className: "group-count" }),
      ),
      note.message ? el("p", { className: "note-message" }, note.message) : null,
    ),
    el(
      "div",
      { className: "note-actions" },
      el("button", {
        type: "button",
        className: "btn small ghost group-toggle",
        "aria-controls": `group-${g.key}`,
        onclick: () => actions.toggleGroup(g.key),
      }),
      el(
        "button",
        {
          type: "button",
          className: "btn small ghost group-read",
          "aria-label": `Mark read: ${subject}`,
          onclick: () => actions.markGroupRead(g.key),
        },
        "Mark read",
      ),
    ),
    g.list,
  );
  g.list.id = `group-${g.key}`;
  g.list.setAttribute("aria-label", `Updates about ${subject}`);
  return li;
}

/** Bring a group's row up to date with its counts. */
export function paintGroup(g) {
  if (!g.li.classList.contains("group")) return paintNote(g.li, g.latest);
  const updates = plural(g.count, "update");
  g.li.classList.toggle("unread", g.unread > 0);
  g.li.querySelector(".state").textContent = g.unread ? "Unread: " : "";
  g.li.querySelector(".group-count").textContent =
    ` — ${updates}${g.unread ? `, ${g.unread} unread` : ""}`;
  const toggle = g.li.querySelector(".group-toggle");
  toggle.textContent = g.expanded ? "Hide updates" : `Show ${updates}`;
  toggle.setAttribute("aria-expanded", String(g.expanded));
  g.li.querySelector(".group-read").hidden = g.unread === 0;
  g.list.hidden = !g.expanded;
  return undefined;
}
