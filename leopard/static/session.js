// Sign-in state: the access token (this tab's, in sessionStorage), its
// renewal from the HttpOnly refresh cookie, and the rule that a browser holds
// one signed-in user. Emits "ended" (a message, or none) when the session is
// over.
import { hasToken, requestRefresh, requestToken, send, setAuthHooks, setToken } from "./api.js";
import { Emitter } from "./emitter.js";

const TOKEN_KEY = "leopard.token";
// Whether this browser holds a session (the refresh cookie is HttpOnly, so
// the page cannot see it): a first visit then shows the form at once, with
// no refresh call refused first.
const SESSION_KEY = "leopard.session";

/** The user id an access token names (its `sub`), or null. */
export function tokenUser(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const sub = JSON.parse(atob(part)).sub;
    return sub === undefined ? null : Number(sub);
  } catch {
    return null;
  }
}

/** When to renew a token that runs out at expiresAt: a little before (a fifth
 * of what is left, at most a minute, or `margin`), never sooner than 0.5 s. */
export function renewalDelay(expiresAt, margin, now = Date.now()) {
  const left = expiresAt - now;
  const ahead = margin || Math.min(60000, left / 5);
  return Math.max(500, Math.min(left - ahead, 2 ** 31 - 1));
}

export class Session extends Emitter {
  #renewing = null;
  #timer = null;
  #userId = null; // who this tab shows; another user's token means a reload

  constructor() {
    super();
    setAuthHooks({ renew: () => this.renew(), expired: (message) => this.end(message) });
  }

  /** Sign in with a password; throws the ApiError of a refusal. */
  async signIn(username, password) {
    this.#keep(await requestToken(username, password));
  }

  /** Take up this tab's token, or renew from the cookie. "ok", "expired" (a
   * token that ran out could not be renewed) or "none". */
  async resume() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY));
    } catch {
      saved = null;
    }
    if (saved && saved.token && saved.expiresAt > Date.now()) {
      setToken(saved.token);
      this.#schedule(saved.expiresAt, 0);
      return "ok";
    }
    // A new tab, or a reload after the token ran out: the refresh cookie
    // signs in, if this browser has a session.
    sessionStorage.removeItem(TOKEN_KEY);
    if (await this.renew()) return "ok";
    return saved && saved.token ? "expired" : "none";
  }

  /** From now on, this tab shows that user. */
  showing(userId) {
    this.#userId = userId;
  }

  /** Ask for a new access token with the HttpOnly refresh cookie (which the
   * answer replaces). Tabs of one browser share that cookie and each refresh
   * token works once, so they take turns (Web Locks) rather than present one
   * token twice, which would end the session. True when renewed. */
  renew() {
    // Callers in this tab at the same moment share one refresh.
    if (!this.#renewing) {
      this.#renewing = this.#renewOnce().finally(() => (this.#renewing = null));
    }
    return this.#renewing;
  }

  async #renewOnce() {
    if (!localStorage.getItem(SESSION_KEY)) return false;
    const call = async () => {
      const answer = await requestRefresh();
      if (answer === "refused") localStorage.removeItem(SESSION_KEY);
      return typeof answer === "string" ? answer : this.#store(answer);
    };
    const result = navigator.locks
      ? await navigator.locks.request("leopard-refresh", call)
      : await call();
    if (result === "offline") {
      this.#schedule(Date.now() + 10000, 5000); // try again shortly
      return false;
    }
    if (result === "refused") return false;
    if (this.#userId !== null && tokenUser(result.token) !== this.#userId) {
      // Someone else signed in in another tab: this browser is theirs now.
      // Start over as them, never showing one user's data under another's name.
      location.reload();
      return false;
    }
    setToken(result.token);
    this.#schedule(result.expiresAt, 0);
    if (this.#userId !== null) {
      // The stream cookie of the old token runs out with it: ask for a new one
      // now, so the stream's own reconnect (with Last-Event-ID) finds it.
      send("POST", "/notifications/stream/ticket/").catch(() => {});
    }
    return true;
  }

  #store(data) {
    localStorage.setItem(SESSION_KEY, "1");
    const expiresAt = Date.now() + data.expires_in * 1000;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: data.access_token, expiresAt }));
    return { token: data.access_token, expiresAt };
  }

  #keep(data) {
    const kept = this.#store(data);
    setToken(kept.token);
    this.#schedule(kept.expiresAt, 0);
  }

  #schedule(expiresAt, margin) {
    clearTimeout(this.#timer);
    // Refused: the token runs out; the next call's 401 ends the session.
    this.#timer = setTimeout(() => hasToken() && this.renew(), renewalDelay(expiresAt, margin));
  }

  /** Forget the token and the session; tell the page (message: why). */
  end(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(SESSION_KEY);
    clearTimeout(this.#timer);
    setToken(null);
    this.#userId = null;
    this.emit("ended", message);
  }
}
