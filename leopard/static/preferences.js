// The preferences dialog (#prefs-dialog): muted types, and email of what
// stays unread.
import { api, SessionEnded } from "./api.js";
import { byId, el, showAlert } from "./dom.js";
import { KIND_LABELS } from "./labels.js";
import { attempt, toast } from "./toast.js";

/** The body of PATCH …/preferences/, or a message saying what is wrong. */
export function preferencesBody(muted, emailOn, emailTypes, minutesText) {
  const minutes = Number(minutesText);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
    return { error: "Minutes must be a whole number from 0 to 1440." };
  }
  return {
    body: {
      muted_types: muted,
      email: { enabled: emailOn, types: emailTypes, after_minutes: minutes },
    },
  };
}

export class Preferences {
  constructor() {
    byId("prefs-open").addEventListener("click", () => attempt(() => this.open()));
    byId("prefs-form").addEventListener("submit", (event) => this.#save(event));
  }

  async open() {
    const prefs = await api("GET", "/users/me/preferences/");
    const types = Object.keys(KIND_LABELS);
    this.#checks("prefs-muted", "muted", types.filter((t) => t !== "SYSTEM"), prefs.muted_types);
    this.#checks("prefs-email-types", "email-type", types, prefs.email.types);
    byId("prefs-email-on").checked = prefs.email.enabled;
    byId("prefs-after").value = String(prefs.email.after_minutes);
    byId("prefs-error").hidden = true;
    byId("prefs-dialog").showModal();
  }

  #checks(containerId, name, types, chosen) {
    byId(containerId).replaceChildren(
      ...types.map((type) =>
        el(
          "label",
          { className: "check" },
          el("input", { type: "checkbox", name, value: type, checked: chosen.includes(type) }),
          ` ${KIND_LABELS[type]}`,
        ),
      ),
    );
  }

  #checked(name) {
    const form = byId("prefs-form");
    return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  async #save(event) {
    event.preventDefault();
    const box = byId("prefs-error");
    const { body, error } = preferencesBody(
      this.#checked("muted"),
      byId("prefs-email-on").checked,
      this.#checked("email-type"),
      byId("prefs-after").value,
    );
    if (error) return showAlert(box, error);
    try {
      await api("PATCH", "/users/me/preferences/", body);
      byId("prefs-dialog").close();
      toast("Preferences saved.");
    } catch (err) {
      if (!(err instanceof SessionEnded)) showAlert(box, err.message);
    }
    return undefined;
  }
}
