// The sign-in view (#signin-view), and which of it, the loading line and the
// inbox (#app-view) shows.
import { requestSignOut } from "./api.js";
import { retryWords } from "./dates.js";
import { byId, showAlert } from "./dom.js";

/** What the form says when signing in is refused (an ApiError). */
export function signInRefusal(err) {
  if (err.status === 429) return `Too many failed attempts; try again in ${retryWords(err.retryAfter)}.`;
  if (err.status === 401 || err.status === 422) return "Wrong username or password.";
  if (err.status) return "Signing in failed; try again.";
  return "Leopard cannot be reached; check your connection and try again.";
}

export class SignIn {
  /** onSignedIn: called once a password was accepted. */
  constructor(session, { onSignedIn }) {
    this.session = session;
    byId("signin-form").addEventListener("submit", (event) => this.#submit(event, onSignedIn));
    byId("signout").addEventListener("click", async () => {
      // End the session (the refresh cookie) and expire the stream cookie;
      // the page forgets its token either way.
      await requestSignOut();
      session.end();
    });
  }

  show(message) {
    byId("boot").hidden = true;
    byId("app-view").hidden = true;
    byId("signin-view").hidden = false;
    showAlert(byId("signin-error"), message);
    byId("password").value = "";
    byId("username").focus();
  }

  showApp() {
    byId("signin-view").hidden = true;
    byId("boot").hidden = true;
    byId("app-view").hidden = false;
  }

  hideBoot() {
    byId("boot").hidden = true;
  }

  async #submit(event, onSignedIn) {
    event.preventDefault();
    const username = byId("username").value.trim();
    const password = byId("password").value;
    if (!username || !password) {
      this.show("Enter your username and password.");
      return;
    }
    const button = byId("signin-button");
    button.disabled = true;
    try {
      await this.session.signIn(username, password);
    } catch (err) {
      this.show(signInRefusal(err));
      button.disabled = false;
      return;
    }
    try {
      await onSignedIn();
    } finally {
      button.disabled = false;
    }
  }
}
