// Every request of the inbox goes through here: the Bearer header, one renewal
// on a 401, one shape of error. The only caller of fetch.

const API = "/api/v1";

export class SessionEnded extends Error {}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `request failed (${status})`);
    this.status = status;
    this.fields = error.fields || {};
  }
}

const OFFLINE = "Leopard cannot be reached; check your connection and try again.";

let token = null;
// Set by the session: renew() → true when a new token is in place; expired()
// ends the session.
let hooks = { renew: async () => false, expired: () => {} };

export const setToken = (value) => (token = value);
export const hasToken = () => Boolean(token);
export const setAuthHooks = (value) => (hooks = value);

/** A raw request: the Response, or an Error when Leopard cannot be reached. */
export async function send(method, path, body, { bearer = true, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (bearer && token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new Error(OFFLINE);
  }
}

/** A request as the signed-in user: the Response; SessionEnded when the
 * session is over. */
async function authorized(method, path, body, options) {
  let resp = await send(method, path, body, options);
  if (resp.status === 401 && token) {
    // Expired or revoked: renew once from the refresh cookie, then retry.
    if ((await hooks.renew()) && token) resp = await send(method, path, body, options);
    if (resp.status === 401) {
      hooks.expired("Your session has expired. Please sign in again.");
      throw new SessionEnded();
    }
  }
  return resp;
}

/** A request as the signed-in user: its JSON (null for 204), or an ApiError;
 * SessionEnded when the session is over. */
export async function api(method, path, body) {
  return answer(await authorized(method, path, body));
}

/** A file as the signed-in user (a history as CSV): {text, filename}, or an
 * ApiError. A link cannot carry the Bearer header, so the page asks here and
 * offers the text itself. */
export async function apiFile(path, accept) {
  const resp = await authorized("GET", path, undefined, { accept });
  if (!resp.ok) return answer(resp); // throws its ApiError
  const disposition = resp.headers.get("Content-Disposition") || "";
  const named = /filename="([^"]+)"/.exec(disposition);
  return { text: await resp.text(), filename: named ? named[1] : null };
}

async function answer(resp) {
  if (resp.status === 204) return null;
  const data = await resp.json().catch(() => null);
  if (!resp.ok) {
    const error = new ApiError(resp.status, data);
    error.retryAfter = resp.headers.get("Retry-After");
    throw error;
  }
  return data;
}

/** Sign in: the token answer, or an ApiError (with retryAfter on a 429). */
export async function requestToken(username, password) {
  return answer(await send("POST", "/auth/token/", { username, password }, { bearer: false }));
}

/** Renew with the HttpOnly refresh cookie: the token answer, "refused", or
 * "offline" when Leopard cannot be reached. */
export async function requestRefresh() {
  let resp;
  try {
    resp = await send("POST", "/auth/token/refresh/", undefined, { bearer: false });
  } catch {
    return "offline";
  }
  if (!resp.ok) return "refused";
  return resp.json();
}

/** End the session (the refresh cookie) and expire the stream cookie. */
export async function requestSignOut() {
  await Promise.all([
    send("POST", "/auth/logout/", undefined, { bearer: false }),
    send("DELETE", "/notifications/stream/ticket/", undefined, { bearer: false }),
  ]).catch(() => {});
}

/** A fresh stream ticket (the HttpOnly cookie) for the current token. */
export async function requestTicket() {
  await api("POST", "/notifications/stream/ticket/");
}

export const STREAM_URL = `${API}/notifications/stream/`;
