// The "Change password" dialog (#password-dialog).
import { api, SessionEnded } from "./api.js";
import { byId, showAlert } from "./dom.js";
import { toast } from "./toast.js";

/** What is wrong with a new password before asking the server, or null. */
export function passwordProblem(newPassword, repeated) {
  if (newPassword.length < 8) return "The new password needs 8 characters or more.";
  if (newPassword !== repeated) return "The new passwords differ.";
  return null;
}

/** What the user reads when the server refuses the change. */
export function refusalText(err) {
  if (err.status === 403) return "The current password is wrong.";
  if (err.status === 429) return "Too many failed attempts; try again later.";
  const fields = Object.values(err.fields || {}).flat();
  return fields[0] || err.message;
}

export class PasswordDialog {
  constructor() {
    byId("change-password").addEventListener("click", () => this.open());
    byId("password-form").addEventListener("submit", (event) => this.#change(event));
  }

  open() {
    byId("password-form").reset();
    byId("password-error").hidden = true;
    byId("password-dialog").showModal();
    byId("pw-current").focus();
  }

  async #change(event) {
    event.preventDefault();
    const show = (message) => showAlert(byId("password-error"), message);
    const body = {
      current_password: byId("pw-current").value,
      new_password: byId("pw-new").value,
    };
    const problem = passwordProblem(body.new_password, byId("pw-repeat").value);
    if (problem) return show(problem);
    try {
      await api("POST", "/users/me/password/", body);
    } catch (err) {
      if (!(err instanceof SessionEnded)) show(refusalText(err));
      return undefined;
    }
    byId("password-dialog").close();
    toast("Password changed. Your other devices are signed out.");
    return undefined;
  }
}
