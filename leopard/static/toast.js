// The toast: one short message at a time, at the foot of the page.
import { SessionEnded } from "./api.js";
import { byId } from "./dom.js";

let timer = null;

export function toast(message, isError = false) {
  const box = byId("toast");
  box.textContent = message;
  box.classList.toggle("error", isError);
  box.setAttribute("role", isError ? "alert" : "status");
  box.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (box.hidden = true), 4000);
}

/** Run an action; show what went wrong unless the session ended. */
export async function attempt(action) {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof SessionEnded)) toast(err.message || String(err), true);
    return undefined;
  }
}
