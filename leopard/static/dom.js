// Building the page: elements with text-only children, never innerHTML.
import { dueWords, fullDate } from "./dates.js";

export const byId = (id) => document.getElementById(id);

/** An element with text-only children: strings become text nodes, never HTML. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The buttons at the end of an admin list's row. Each: its words, what a
 * screen reader hears (naming the row), what it does, and `ghost` for the
 * lesser of two. */
export function rowActions(...buttons) {
  return el(
    "div",
    { className: "admin-actions" },
    buttons.map(({ words, label, onclick, ghost }) =>
      el(
        "button",
        {
          type: "button",
          className: ghost ? "btn small ghost" : "btn small",
          "aria-label": label,
          onclick,
        },
        words,
      ),
    ),
  );
}

/** A <time> showing `text`, the full date in its tooltip. */
export function timeEl(iso, text) {
  return el("time", { datetime: iso, title: fullDate(iso) }, text);
}

/** A task's due date in words, marked when overdue; null without one. */
export function dueEl(task, done) {
  if (!task.due_date) return null;
  const { overdue, text } = dueWords(task.due_date, done);
  return el("span", { className: `due${overdue ? " overdue" : ""}` }, timeEl(task.due_date, text));
}

/** Fill a <select> with options [{value, label}], keeping `selected`. */
export function fillSelect(select, options, selected) {
  select.replaceChildren(...options.map((o) => el("option", { value: o.value }, o.label)));
  if (selected !== undefined) select.value = selected;
  return select;
}

/** A form's named fields as {name: value} (a checkbox: checked). */
export function readForm(form) {
  const named = [...form.elements].filter((field) => field.name);
  return Object.fromEntries(
    named.map((field) => [field.name, field.type === "checkbox" ? field.checked : field.value]),
  );
}

/** Put values in a form's named fields (null or missing: empty). */
export function fillForm(form, values) {
  for (const field of form.elements) {
    if (!field.name) continue;
    const value = values[field.name];
    if (field.type === "checkbox") field.checked = Boolean(value);
    else field.value = value === null || value === undefined ? "" : String(value);
  }
}

/** Show a message in an alert box (or hide it with none). */
export function showAlert(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
}

/** Close every open dialog (at sign-out). */
export function closeDialogs() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
}
