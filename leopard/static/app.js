// Leopard web inbox. Plain JavaScript, no build step, no framework.
// User content is only ever put in the page with textContent (see el()).
"use strict";

(() => {
  const API = "/api/v1";
  const TOKEN_KEY = "leopard.token";
  const PAGE = 30;
  const OPEN_STATUSES = "PENDING,IN_PROGRESS";
  const STATUS_LABELS = {
    PENDING: "Pending",
    IN_PROGRESS: "In progress",
    COMPLETED: "Completed",
    CANCELLED: "Cancelled",
  };
  const PRIORITY_LABELS = { LOW: "Low", MEDIUM: "Medium", HIGH: "High", URGENT: "Urgent" };
  const KIND_LABELS = {
    TASK_ASSIGNED: "Assigned",
    TASK_UPDATED: "Updated",
    TASK_COMMENT: "Comment",
    TASK_MENTIONED: "Mention",
    TASK_DUE_SOON: "Due soon",
    TASK_OVERDUE: "Overdue",
    VISA_APPLICATION_ASSIGNED: "Visa application",
    VISA_STATUS_UPDATE: "Visa status",
    SYSTEM: "Announcement",
  };

  const $ = (id) => document.getElementById(id);

  /** A code as the server's messages word it: TO_BE_APPLIED → "To be applied". */
  const codeLabel = (code) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, " ");
  const clientName = (c) => `${c.first_name} ${c.last_name}`.trim();
  const visaName = (v) =>
    `${v.visa_type}${v.reference ? ` (${v.reference})` : ""} · ${codeLabel(v.status)}`;

  /** An element with text-only children: strings become text nodes, never HTML. */
  function el(tag, props = {}, ...children) {
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

  // ---- state ----

  const state = {
    token: null,
    me: null,
    users: new Map(), // id → user
    groups: new Map(), // group key → its row's state (see "notifications")
    notes: new Map(), // id → notification
    noteEls: new Map(), // id → <li>
    groupsTimer: null,
    lastEventId: 0, // greatest notification id seen: where a new stream resumes
    unread: 0,
    loading: false, // the first page is loading: stream events wait in pending
    pending: [],
    loaded: Promise.resolve(),
    source: null, // this tab's EventSource (its own, or the leader's)
    share: null, // the shared stream's lock and channel (see "the stream")
    conn: "connecting",
    reopenDelay: 1000,
    reopenTimer: null,
    expiryTimer: null, // renews the access token before it expires
    renewing: null,
    tasksTimer: null,
    openTask: null,
    openRefs: { client: null, visa: null }, // what the open task is about
    picked: { client: null, timer: null, query: 0 }, // the new task's client
  };

  class SessionEnded extends Error {}

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || `request failed (${status})`);
      this.status = status;
      this.fields = error.fields || {};
    }
  }

  async function send(method, path, body) {
    const headers = { Accept: "application/json" };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    try {
      return await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new Error("Leopard cannot be reached; check your connection and try again.");
    }
  }

  async function api(method, path, body) {
    let resp = await send(method, path, body);
    if (resp.status === 401 && state.token) {
      // Expired or revoked: renew once from the refresh cookie, then retry.
      if ((await renew()) && state.token) resp = await send(method, path, body);
      if (resp.status === 401) {
        endSession("Your session has expired. Please sign in again.");
        throw new SessionEnded();
      }
    }
    if (resp.status === 204) return null;
    const data = await resp.json().catch(() => null);
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  /** Run an action; show what went wrong unless the session ended. */
  async function attempt(action) {
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof SessionEnded)) toast(err.message || String(err), true);
      return undefined;
    }
  }

  let toastTimer = null;
  function toast(message, isError = false) {
    const box = $("toast");
    box.textContent = message;
    box.classList.toggle("error", isError);
    box.setAttribute("role", isError ? "alert" : "status");
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (box.hidden = true), 4000);
  }

  // ---- dates and names ----

  const dateFormat = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
  const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  const WEEK = 7 * 86400; // seconds: due dates nearer than this read as relative
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

  function ago(iso) {
    const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
    const abs = Math.abs(seconds);
    if (abs < 45) return "just now";
    if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
    if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
    if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), "day");
    return dateFormat.format(new Date(iso));
  }

  function timeEl(iso, text) {
    return el("time", { datetime: iso, title: dateFormat.format(new Date(iso)) }, text);
  }

  function userName(id) {
    if (id === null || id === undefined) return "Nobody";
    const user = state.users.get(id);
    if (!user) return `user #${id}`;
    return user.full_name || user.username;
  }

  function isDone(task) {
    return task.status === "COMPLETED" || task.status === "CANCELLED";
  }

  // ---- session ----

  function showSignIn(message) {
    $("boot").hidden = true;
    $("app-view").hidden = true;
    $("signin-view").hidden = false;
    const error = $("signin-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("password").value = "";
    $("username").focus();
  }

  /** The user id an access token names (its `sub`), or null. */
  function tokenUser(token) {
    try {
      const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return Number(JSON.parse(atob(part)).sub);
    } catch {
      return null;
    }
  }

  // Whether this browser holds a session (the refresh cookie is HttpOnly, so
  // the page cannot see it): a first visit then shows the form at once, with
  // no refresh call refused first.
  const SESSION_KEY = "leopard.session";

  function keepToken(data) {
    localStorage.setItem(SESSION_KEY, "1");
    const expiresAt = Date.now() + data.expires_in * 1000;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: data.access_token, expiresAt }));
    return { token: data.access_token, expiresAt };
  }

  /** Ask for a new access token with the HttpOnly refresh cookie (which the
   * answer replaces). Tabs of one browser share that cookie and each refresh
   * token works once, so they take turns (Web Locks) rather than present one
   * token twice, which would end the session. True when renewed. */
  function renew() {
    // Callers in this tab at the same moment share one refresh.
    if (!state.renewing) {
      state.renewing = renewOnce().finally(() => {
        state.renewing = null;
      });
    }
    return state.renewing;
  }

  async function renewOnce() {
    if (!localStorage.getItem(SESSION_KEY)) return false;
    const call = async () => {
      let resp;
      try {
        resp = await fetch(`${API}/auth/token/refresh/`, {
          method: "POST",
          credentials: "same-origin",
        });
      } catch {
        return "offline";
      }
      if (!resp.ok) {
        localStorage.removeItem(SESSION_KEY);
        return "refused";
      }
      return keepToken(await resp.json());
    };
    const result = navigator.locks
      ? await navigator.locks.request("leopard-refresh", call)
      : await call();
    if (result === "offline") {
      scheduleRenewal(Date.now() + 10000, 5000); // try again shortly
      return false;
    }
    if (result === "refused") return false;
    const user = tokenUser(result.token);
    if (state.me && user !== state.me.id) {
      // Someone else signed in in another tab: this browser is theirs now.
      // Start over as them, never showing one user's data under another's name.
      location.reload();
      return false;
    }
    state.token = result.token;
    scheduleRenewal(result.expiresAt, 0);
    if (state.me) {
      // The stream cookie of the old token runs out with it: ask for a new one
      // now, so the stream's own reconnect (with Last-Event-ID) finds it.
      send("POST", "/notifications/stream/ticket/").catch(() => {});
    }
    return true;
  }

  /** Renew a little before expiresAt (a fifth of the lifetime, at most a minute). */
  function scheduleRenewal(expiresAt, margin) {
    clearTimeout(state.expiryTimer);
    const left = expiresAt - Date.now();
    const ahead = margin || Math.min(60000, left / 5);
    // Refused: the token runs out; the next call's 401 ends the session.
    state.expiryTimer = setTimeout(
      () => state.token && renew(),
      Math.max(500, Math.min(left - ahead, 2 ** 31 - 1)),
    );
  }

  function endSession(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(SESSION_KEY);
    stopStream();
    clearTimeout(state.expiryTimer);
    clearTimeout(state.tasksTimer);
    clearTimeout(state.groupsTimer);
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    Object.assign(state, {
      token: null,
      me: null,
      openTask: null,
      lastEventId: 0,
      unread: 0,
      loading: false,
      pending: [],
    });
    state.groups.clear();
    state.notes.clear();
    state.noteEls.clear();
    $("note-list").replaceChildren();
    $("task-list").replaceChildren();
    document.title = "Leopard";
    showSignIn(message);
  }

  async function signIn(event) {
    event.preventDefault();
    const username = $("username").value.trim();
    const password = $("password").value;
    if (!username || !password) {
      showSignIn("Enter your username and password.");
      return;
    }
    const button = $("signin-button");
    button.disabled = true;
    try {
      const resp = await fetch(`${API}/auth/token/`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      const data = await resp.json().catch(() => null);
      if (!resp.ok) {
        const wrong = resp.status === 401 || resp.status === 422;
        const message =
          resp.status === 429
            ? `Too many failed attempts; try again in ${minutes(resp)}.`
            : wrong
              ? "Wrong username or password."
              : "Signing in failed; try again.";
        showSignIn(message);
        return;
      }
      if (resp.ok) keepToken(data);
      await start();
    } catch {
      showSignIn("Leopard cannot be reached; check your connection and try again.");
    } finally {
      button.disabled = false;
    }
  }

  async function start() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY));
    } catch {
      saved = null;
    }
    if (!saved || !saved.token || saved.expiresAt <= Date.now()) {
      // A new tab, or a reload after the token ran out: the refresh cookie
      // signs in, if this browser has a session.
      sessionStorage.removeItem(TOKEN_KEY);
      if (!(await renew())) {
        const expired = saved && saved.token;
        return showSignIn(expired ? "Your session has expired. Please sign in again." : "");
      }
    } else {
      state.token = saved.token;
      scheduleRenewal(saved.expiresAt, 0);
    }
    try {
      const [me, users] = await Promise.all([
        api("GET", "/users/me/"),
        api("GET", "/users/?limit=200"),
      ]);
      state.me = me;
      state.users = new Map(users.results.map((u) => [u.id, u]));
      state.users.set(me.id, me);
      $("me-name").textContent = me.full_name || me.username;
      $("signin-view").hidden = true;
      $("boot").hidden = true;
      $("app-view").hidden = false;
      fillUserSelect($("tf-assignee"), true);
      // Join the browser's stream first, so that nothing sent while the
      // page loads is missed; it waits for the load (state.loading).
      let loaded;
      state.loaded = new Promise((resolve) => (loaded = resolve));
      state.loading = true;
      state.pending = [];
      startStream();
      await Promise.all([loadNotifications(), loadTasks()]);
      state.loading = false;
      await drainPending();
      loaded();
      route();
    } catch (err) {
      if (!(err instanceof SessionEnded)) {
        $("boot").hidden = true;
        toast(err.message || "Leopard cannot be reached.", true);
      }
    }
  }

  // ---- notifications, grouped ----
  //
  // The list shows groups (GET …/notifications/?grouped=true): what one task
  // or visa application brought, as one row that opens to its notifications;
  // a group of one is shown as that notification alone.
  // state.groups: key → {key, group, latest, count, unread, expanded, list, li}
  // state.notes: id → each notification known here (every group's latest, and
  // those of an open group); state.noteEls: id → its row, when shown.

  function setUnread(count) {
    state.unread = Math.max(0, count);
    const n = state.unread;
    $("unread-badge").textContent = n > 99 ? "99+" : String(n);
    $("unread").dataset.count = String(n);
    const text = `${n} unread notification${n === 1 ? "" : "s"}`;
    if ($("unread-text").textContent !== text) $("unread-text").textContent = text;
    document.title = n ? `(${n}) Leopard` : "Leopard";
  }

  const groupKey = (note) => note.group || `id:${note.id}`;

  function taskIdOf(note) {
    const taskId = note.meta_info && note.meta_info.task_id;
    return Number.isInteger(taskId) ? taskId : null;
  }

  /** What a group is about: its latest title without "Task updated: ". */
  function subjectOf(note) {
    const at = note.title.indexOf(": ");
    return at > 0 ? note.title.slice(at + 2) : note.title;
  }

  function renderNote(note) {
    const taskId = taskIdOf(note);
    const title = taskId
      ? el("a", { href: `#task/${taskId}`, onclick: () => openedFromNote(note.id) }, note.title)
      : note.title;
    const toggle = el("button", {
      type: "button",
      className: "btn small ghost",
      onclick: () => toggleRead(note.id),
    });
    const li = el(
      "li",
      {
        className: `note${taskId ? " opens" : ""}`,
        "data-id": note.id,
        onclick: (event) => openNote(event, note.id, taskId),
      },
      el("span", { className: "mark", "aria-hidden": "true" }),
      el(
        "div",
        { className: "note-body" },
        noteTop(note, true),
        el("p", { className: "note-title" }, el("span", { className: "sr-only state" }), title),
        note.message ? el("p", { className: "note-message" }, note.message) : null,
      ),
      el("div", { className: "note-actions" }, toggle),
    );
    state.noteEls.set(note.id, li);
    paintNote(note);
    return li;
  }

  function paintNote(note) {
    const li = state.noteEls.get(note.id);
    if (!li) return;
    li.classList.toggle("unread", !note.read);
    li.querySelector(".state").textContent = note.read ? "" : "Unread: ";
    const toggle = li.querySelector(".note-actions button");
    toggle.textContent = note.read ? "Mark unread" : "Mark read";
    toggle.setAttribute("aria-label", `${toggle.textContent}: ${note.title}`);
  }

  /** A notification's kind and age, and (withEmailed) when it was emailed. */
  function noteTop(note, withEmailed) {
    return el(
      "div",
      { className: "note-top" },
      el("span", { className: "kind" }, KIND_LABELS[note.notification_type] || "Notice"),
      timeEl(note.created_at, ago(note.created_at)),
      withEmailed && note.emailed_at
        ? el("span", { className: "emailed", title: `Emailed ${dateFormat.format(new Date(note.emailed_at))}` }, "emailed")
        : null,
    );
  }

  /** A group's row: "<subject> — 5 updates, 3 unread", a button that opens
   * it to its notifications, and one that marks them all read. */
  function renderGroupRow(g) {
    const note = g.latest;
    const taskId = taskIdOf(note);
    const subject = subjectOf(note);
    const title = taskId
      ? el("a", { href: `#task/${taskId}`, onclick: () => markGroupRead(g.key) }, subject)
      : subject;
    const li = el(
      "li",
      {
        className: "note group",
        onclick: (event) => {
          if (!event.target.closest("button, a, .group-notes")) toggleGroup(g.key);
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
          onclick: () => toggleGroup(g.key),
        }),
        el(
          "button",
          {
            type: "button",
            className: "btn small ghost group-read",
            "aria-label": `Mark read: ${subject}`,
            onclick: () => markGroupRead(g.key),
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

  function paintGroup(g) {
    if (!g.li.classList.contains("group")) return paintNote(g.latest);
    const updates = `${g.count} update${g.count === 1 ? "" : "s"}`;
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

  /** Draw a group's row anew and put it in its place: newest latest first. */
  function placeGroup(g, fresh = false) {
    const grouped = g.count > 1 || g.expanded;
    const li = grouped ? renderGroupRow(g) : renderNote(g.latest);
    li.dataset.group = g.key;
    li.dataset.latest = String(g.latest.id);
    if (g.li) g.li.remove();
    g.li = li;
    const list = $("note-list");
    const after = [...list.children].find((item) => Number(item.dataset.latest) < g.latest.id);
    list.insertBefore(li, after || null);
    if (fresh) li.classList.add("fresh");
    paintGroup(g);
  }

  /** countedUpTo: the server counted this group's notifications up to that
   * id; one of them arriving from the stream after is not counted again. */
  function newGroup(note, count, unread, countedUpTo = 0) {
    const g = { key: groupKey(note), group: note.group, latest: note, count, unread };
    Object.assign(g, { countedUpTo, expanded: false });
    g.list = el("ul", { className: "group-notes", hidden: true });
    state.groups.set(g.key, g);
    return g;
  }

  function showEmptyNotes() {
    $("note-empty").hidden = state.groups.size > 0;
  }

  /** A group from the grouped list (whose notifications up to upTo it
   * counted); false when it is shown already. */
  function addGroup(summary, upTo) {
    const note = summary.latest;
    state.lastEventId = Math.max(state.lastEventId, note.id);
    if (state.groups.has(groupKey(note))) return false;
    state.notes.set(note.id, note);
    placeGroup(newGroup(note, summary.count, summary.unread_count, upTo));
    showEmptyNotes();
    return true;
  }

  /** A notification from the stream: a new row, or one more in its group's. */
  function addNote(note) {
    if (state.notes.has(note.id)) return false;
    state.lastEventId = Math.max(state.lastEventId, note.id);
    state.notes.set(note.id, note);
    let g = state.groups.get(groupKey(note));
    if (g && note.id <= g.countedUpTo) {
      // Counted already, by the page loaded while it was on its way.
      if (g.expanded && !state.noteEls.has(note.id)) insertInGroup(g, note);
      return false;
    }
    if (g) {
      g.count += 1;
      if (!note.read) g.unread += 1;
      if (note.id > g.latest.id) g.latest = note;
    } else {
      g = newGroup(note, 1, note.read ? 0 : 1);
      // A group on a page not shown yet: its true count comes from the server.
      if (note.group) refreshGroup(g.key);
    }
    if (g.expanded) insertInGroup(g, note);
    placeGroup(g, true);
    showEmptyNotes();
    return true;
  }

  function insertInGroup(g, note) {
    const li = renderNote(note);
    const after = [...g.list.children].find((item) => Number(item.dataset.id) < note.id);
    g.list.insertBefore(li, after || null);
  }

  async function loadNotifications(older = false) {
    const query = new URLSearchParams({ grouped: "true", limit: String(PAGE) });
    if (older) query.set("offset", String(state.groups.size));
    const page = await api("GET", `/notifications/?${query}`);
    // The first page counted every notification up to the newest of all.
    const upTo = page.results.length ? page.results[0].latest.id : 0;
    for (const summary of page.results) addGroup(summary, older ? summary.latest.id : upTo);
    if (!older) setUnread(page.unread_count);
    $("note-more").hidden = page.results.length < PAGE;
    showEmptyNotes();
  }

  /** One group's notifications (GET …/?group=), shown under its row. */
  async function toggleGroup(key) {
    const g = state.groups.get(key);
    if (!g) return;
    g.expanded = !g.expanded;
    if (g.expanded) await attempt(() => fillGroup(g));
    if (state.groups.get(key) === g) paintGroup(g);
  }

  async function fillGroup(g) {
    const query = new URLSearchParams({ group: g.group, limit: "200" });
    const page = await api("GET", `/notifications/?${query}`);
    if (!g.expanded || state.groups.get(g.key) !== g) return;
    for (const note of page.results) {
      const known = state.notes.get(note.id);
      if (known) Object.assign(known, note);
      else state.notes.set(note.id, note);
    }
    g.list.replaceChildren(...page.results.map((n) => renderNote(state.notes.get(n.id))));
    if (page.results.length === page.count) {
      // The whole group: its counts are exact now.
      g.count = page.count;
      g.unread = page.results.filter((n) => !n.read).length;
      if (page.count) g.countedUpTo = Math.max(g.countedUpTo, page.results[0].id);
    }
  }

  /** A group's count and unread from the server (one it had not shown). */
  async function refreshGroup(key) {
    const g = state.groups.get(key);
    if (!g || !g.group) return;
    const query = new URLSearchParams({ grouped: "true", group: g.group, limit: "1" });
    const page = await attempt(() => api("GET", `/notifications/?${query}`));
    const summary = page && page.results[0];
    if (!summary || state.groups.get(key) !== g || summary.latest.id < g.latest.id) return;
    g.count = summary.count;
    g.unread = summary.unread_count;
    g.countedUpTo = Math.max(g.countedUpTo, summary.latest.id);
    paintGroup(g);
  }

  /** Read, unread or deleted elsewhere, about notifications this tab does not
   * hold (a closed group's older ones): ask for the groups shown again. */
  function scheduleGroupsReload() {
    clearTimeout(state.groupsTimer);
    state.groupsTimer = setTimeout(() => attempt(reloadGroups), 150);
  }

  async function reloadGroups() {
    const limit = Math.min(200, Math.max(PAGE, state.groups.size));
    const page = await api("GET", `/notifications/?grouped=true&limit=${limit}`);
    const upTo = page.results.length ? page.results[0].latest.id : 0;
    const seen = new Set();
    for (const summary of page.results) {
      const key = groupKey(summary.latest);
      seen.add(key);
      const g = state.groups.get(key);
      if (!g) {
        addGroup(summary, upTo);
        continue;
      }
      // Newer here than in the answer (arrived meanwhile): this tab's counts.
      if (g.latest.id > summary.latest.id) continue;
      g.countedUpTo = Math.max(g.countedUpTo, upTo);
      const known = state.notes.get(summary.latest.id);
      if (known) Object.assign(known, summary.latest);
      else state.notes.set(summary.latest.id, summary.latest);
      Object.assign(g, {
        latest: state.notes.get(summary.latest.id),
        count: summary.count,
        unread: summary.unread_count,
      });
      if (g.expanded) await fillGroup(g);
      placeGroup(g);
    }
    const last = page.results.length ? page.results[page.results.length - 1].latest.id : 0;
    for (const g of [...state.groups.values()]) {
      const inRange = page.results.length < limit || g.latest.id > last;
      if (!seen.has(g.key) && inRange) removeGroup(g);
    }
    setUnread(page.unread_count);
    showEmptyNotes();
  }

  function removeGroup(g) {
    g.li.remove();
    state.groups.delete(g.key);
    for (const [id, note] of [...state.notes]) {
      if (groupKey(note) === g.key) {
        state.notes.delete(id);
        state.noteEls.delete(id);
      }
    }
  }

  function applyRead(ids, read) {
    const targets = ids === "all" ? [...state.notes.keys()] : ids;
    let unknown = false;
    for (const id of targets) {
      const note = state.notes.get(id);
      if (!note) {
        unknown = true;
        continue;
      }
      if (note.read === read) continue;
      note.read = read;
      paintNote(note);
      const g = state.groups.get(groupKey(note));
      if (g) {
        g.unread = Math.max(0, Math.min(g.count, g.unread + (read ? -1 : 1)));
        paintGroup(g);
      }
    }
    if (ids === "all") {
      for (const g of state.groups.values()) {
        g.unread = read ? 0 : g.count;
        paintGroup(g);
      }
    } else if (unknown) scheduleGroupsReload();
  }

  function applyDeleted(ids) {
    if (ids === "all") {
      for (const g of [...state.groups.values()]) removeGroup(g);
      state.notes.clear();
      state.noteEls.clear();
    } else {
      for (const id of ids) {
        const li = state.noteEls.get(id);
        if (li && li.closest(".group-notes")) li.remove();
      }
      // Counts and latest ones change: the server says what is left.
      scheduleGroupsReload();
    }
    showEmptyNotes();
  }

  /** After a change made here: the stream sends the new count; without one, ask. */
  async function refreshCountIfOffline() {
    if (streamLive()) return;
    const data = await api("GET", "/notifications/unread-count/");
    setUnread(data.unread_count);
  }

  async function toggleRead(id) {
    const note = state.notes.get(id);
    if (!note) return;
    const read = !note.read;
    await attempt(async () => {
      const updated = await api("POST", `/notifications/${id}/${read ? "read" : "unread"}/`);
      applyRead([id], updated.read);
      await refreshCountIfOffline();
    });
  }

  /** A click anywhere on a row (but its own button or link) opens what the
   * notification is about, as its title link does, and marks it read. */
  function openNote(event, id, taskId) {
    if (event.target.closest("button, a")) return;
    event.stopPropagation(); // inside an open group: not its row's click
    if (taskId) location.hash = `#task/${taskId}`;
    openedFromNote(id);
  }

  function openedFromNote(id) {
    const note = state.notes.get(id);
    if (note && !note.read) toggleRead(id);
  }

  /** Mark a group read with one bulk action; the other tabs hear of it from
   * their streams (event: read with the ids), as for any bulk action. */
  async function markGroupRead(key) {
    const g = state.groups.get(key);
    if (!g || !g.group || g.unread === 0) return;
    await attempt(async () => {
      await api("POST", "/notifications/bulk/", { action: "mark_read", group: g.group });
      for (const note of state.notes.values()) {
        if (groupKey(note) === key && !note.read) {
          note.read = true;
          paintNote(note);
        }
      }
      g.unread = 0;
      paintGroup(g);
      await refreshCountIfOffline();
    });
  }

  async function markAllRead() {
    await attempt(async () => {
      await api("POST", "/notifications/bulk/", { action: "mark_read", all: true });
      applyRead("all", true);
      await refreshCountIfOffline();
    });
  }

  // ---- the stream: one per browser ----
  //
  // Browsers allow about six connections per host, so the tabs of one user in
  // one browser hold a single stream: the tab holding the Web Lock
  // "leopard-stream:<user id>" (the leader) opens the EventSource and passes
  // every event, with the last id it has, to the others on the
  // BroadcastChannel of the same name. When it closes, the lock goes to
  // another tab, which opens its own EventSource from the last id it was
  // passed: nothing is missed. Without Web Locks or BroadcastChannel each tab
  // keeps a stream of its own.

  const SHARED = Boolean(navigator.locks) && typeof BroadcastChannel === "function";

  function setConnection(kind) {
    const labels = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" };
    state.conn = kind;
    $("conn").dataset.state = kind;
    $("conn-text").textContent = labels[kind];
    const share = state.share;
    if (share && share.leader) share.channel.postMessage({ type: "conn", state: kind });
  }

  function setStreamRole(role) {
    $("conn").dataset.stream = role;
  }

  function streamLive() {
    return state.conn === "live";
  }

  /** Start this tab's part: its own stream, or the shared one (leader or
   * follower). Events that arrive before the first page of notifications is
   * loaded wait for it (state.loading). */
  function startStream() {
    stopStream();
    const own = () =>
      openStream().catch((err) => {
        if (!(err instanceof SessionEnded)) scheduleReopen();
      });
    if (!SHARED) {
      setStreamRole("own");
      state.loaded.then(own);
      return;
    }
    const name = `leopard-stream:${state.me.id}`;
    const share = {
      channel: new BroadcastChannel(name),
      abort: new AbortController(),
      release: null,
      leader: false,
    };
    const held = new Promise((resolve) => (share.release = resolve));
    state.share = share;
    setStreamRole("follower");
    share.channel.onmessage = (event) => fromChannel(share, event.data);
    navigator.locks
      .request(name, { signal: share.abort.signal }, async () => {
        await state.loaded; // resume after what this tab has loaded
        if (state.share !== share) return;
        share.leader = true;
        setStreamRole("leader");
        await own();
        await held; // the lock is this tab's while it lives
      })
      .catch(() => {}); // aborted: this tab stopped waiting for it
    share.channel.postMessage({ type: "hello" }); // the leader answers with its state
  }

  function stopStream() {
    closeStream();
    const share = state.share;
    state.share = null;
    if (!share) return;
    share.abort.abort();
    share.release();
    share.channel.close();
  }

  function fromChannel(share, message) {
    if (state.share !== share) return;
    if (share.leader) {
      if (message.type === "hello") share.channel.postMessage({ type: "conn", state: state.conn });
      return;
    }
    if (message.type === "conn") setConnection(message.state);
    else if (message.type !== "hello") {
      state.lastEventId = Math.max(state.lastEventId, message.id || 0);
      dispatch(message.type, message.data);
    }
  }

  function closeStream() {
    clearTimeout(state.reopenTimer);
    if (state.source) state.source.close();
    state.source = null;
  }

  /** A fresh ticket (the HttpOnly cookie), then an EventSource that resumes
   * after the last notification this tab has; its own reconnects send
   * Last-Event-ID, so nothing in between is missed. */
  async function openStream() {
    closeStream();
    setConnection(state.lastEventId ? "reconnecting" : "connecting");
    await api("POST", "/notifications/stream/ticket/");
    if (!state.token) return;
    const url = `${API}/notifications/stream/?last_event_id=${state.lastEventId}`;
    const source = new EventSource(url);
    state.source = source;
    source.onopen = () => {
      state.reopenDelay = 1000;
      setConnection("live");
    };
    source.onerror = () => {
      if (state.source !== source) return;
      setConnection("reconnecting");
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an
      // expired cookie answers 401): get a new ticket and open a new stream.
      if (source.readyState === EventSource.CLOSED) scheduleReopen();
    };
    for (const name of ["notification", "unread_count", "read", "unread", "deleted"]) {
      source.addEventListener(name, (event) => fromSource(source, name, event.data));
    }
  }

  function fromSource(source, type, data) {
    if (state.source !== source) return;
    if (type === "notification" && state.me && JSON.parse(data).assigned_to !== state.me.id) {
      // Another user signed in elsewhere in this browser took the shared
      // cookie: ask for a ticket of our own.
      scheduleReopen();
      return;
    }
    dispatch(type, data);
    const share = state.share;
    if (share && share.leader) {
      share.channel.postMessage({ type, data, id: state.lastEventId });
    }
  }

  /** One event of the stream, from this tab's EventSource or the leader's. */
  function dispatch(type, data) {
    if (state.loading) {
      state.pending.push([type, data]);
      return;
    }
    const body = JSON.parse(data);
    if (type === "notification") onNotification(body);
    else if (type === "unread_count") setUnread(body.unread_count);
    else {
      const ids = body.all ? "all" : body.ids || [];
      if (type === "read") applyRead(ids, true);
      else if (type === "unread") applyRead(ids, false);
      else if (type === "deleted") applyDeleted(ids);
    }
  }

  /** The events that came while the first page loaded: notifications it
   * already counted are passed over (countedUpTo), and the unread count is
   * asked again, since one that waited may be older than the page. */
  async function drainPending() {
    const pending = state.pending;
    state.pending = [];
    let count = false;
    for (const [type, data] of pending) {
      if (type === "unread_count") count = true;
      else dispatch(type, data);
    }
    if (count) {
      const data = await api("GET", "/notifications/unread-count/");
      setUnread(data.unread_count);
    }
  }

  function scheduleReopen() {
    closeStream();
    setConnection("reconnecting");
    const delay = state.reopenDelay;
    state.reopenDelay = Math.min(delay * 2, 30000);
    state.reopenTimer = setTimeout(async () => {
      try {
        await openStream();
      } catch (err) {
        if (!(err instanceof SessionEnded)) scheduleReopen();
      }
    }, delay);
  }

  function onNotification(note) {
    if (state.me && note.assigned_to !== state.me.id) return;
    if (!addNote(note)) return;
    if (!note.read) setUnread(state.unread + 1);
    const taskId = taskIdOf(note);
    if (taskId) {
      scheduleTasksRefresh();
      if (state.openTask && state.openTask.id === taskId) refreshOpenTask();
    }
  }

  // ---- tasks ----

  function taskQuery() {
    const view = $("task-view").value;
    const query = new URLSearchParams({ limit: "100" });
    if (view === "created") {
      query.set("created_by", String(state.me.id));
      query.set("ordering", "-created_at");
    } else {
      query.set("assigned_to", "me");
      query.set("ordering", "due_date");
      if (view === "open") query.set("status", OPEN_STATUSES);
    }
    return query;
  }

  async function loadTasks() {
    const page = await api("GET", `/tasks/?${taskQuery()}`);
    const list = $("task-list");
    list.replaceChildren(...page.results.map(renderTask));
    const empty = $("task-empty");
    empty.hidden = page.results.length > 0;
    empty.textContent =
      $("task-view").value === "created"
        ? "You have not created any tasks yet."
        : "Nothing assigned to you. Enjoy the quiet.";
  }

  function scheduleTasksRefresh() {
    clearTimeout(state.tasksTimer);
    state.tasksTimer = setTimeout(() => attempt(loadTasks), 250);
  }

  /** One rule for due dates, in the list and the task view alike: relative
   * within a week ("Due in 3 days", "Overdue by 2 days"), the date beyond;
   * the full date and time always in the tooltip. */
  function dueWords(task) {
    const seconds = (new Date(task.due_date).getTime() - Date.now()) / 1000;
    const overdue = seconds < 0 && !isDone(task);
    const abs = Math.abs(seconds);
    if (abs >= WEEK) {
      const date = dayFormat.format(new Date(task.due_date));
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

  function dueText(task) {
    if (!task.due_date) return null;
    const { overdue, text } = dueWords(task);
    return el(
      "span",
      { className: `due${overdue ? " overdue" : ""}` },
      timeEl(task.due_date, text),
    );
  }

  function statusSelect(task, props) {
    const select = el(
      "select",
      props,
      Object.entries(STATUS_LABELS).map(([value, label]) =>
        el("option", { value, selected: value === task.status }, label),
      ),
    );
    select.value = task.status;
    return select;
  }

  function renderTask(task) {
    const id = `task-status-${task.id}`;
    const select = statusSelect(task, { id, className: "task-status" });
    select.addEventListener("change", () => changeStatus(task, select.value, select));
    const meta = [
      el("span", { className: `chip p-${task.priority}` }, PRIORITY_LABELS[task.priority]),
      dueText(task),
      $("task-view").value === "created" ? `For ${userName(task.assigned_to)}` : null,
      task.comment_count
        ? `${task.comment_count} comment${task.comment_count === 1 ? "" : "s"}`
        : null,
    ];
    return el(
      "li",
      { className: `task${isDone(task) ? " done" : ""}`, "data-id": task.id },
      el(
        "div",
        { className: "task-main" },
        el("a", { className: "task-title", href: `#task/${task.id}` }, task.title),
        el(
          "div",
          { className: "task-meta" },
          // Each part its own element: adjacent text would run together.
          meta.filter(Boolean).map((part) => (typeof part === "string" ? el("span", {}, part) : part)),
        ),
      ),
      el("label", { for: id, className: "sr-only" }, `Status of ${task.title}`),
      select,
    );
  }

  async function changeStatus(task, status, select) {
    select.disabled = true;
    const updated = await attempt(() => api("PATCH", `/tasks/${task.id}/`, { status }));
    select.disabled = false;
    if (!updated) {
      select.value = task.status;
      return;
    }
    Object.assign(task, updated);
    toast(`“${updated.title}” is now ${STATUS_LABELS[updated.status].toLowerCase()}.`);
    const li = select.closest("li");
    if (li) li.classList.toggle("done", isDone(updated));
    if (state.openTask && state.openTask.id === updated.id) {
      state.openTask = updated;
      $("td-status").value = updated.status;
      renderFacts(updated);
    }
  }

  function fillUserSelect(select, withNobody) {
    const me = state.me;
    const others = [...state.users.values()]
      .filter((u) => u.id !== me.id)
      .sort((a, b) => userName(a.id).localeCompare(userName(b.id)));
    const option = (u, label) => el("option", { value: u.id }, label);
    select.replaceChildren(
      withNobody ? el("option", { value: "" }, "Nobody yet") : null,
      option(me, `Me (${me.full_name || me.username})`),
      ...others.map((u) =>
        option(u, u.full_name ? `${u.full_name} (@${u.username})` : `@${u.username}`),
      ),
    );
  }

  // ---- new task ----

  function openTaskForm() {
    const form = $("task-form");
    form.reset();
    resetClientPicker();
    fillUserSelect($("tf-assignee"), true);
    $("task-form-error").hidden = true;
    $("tf-title-error").hidden = true;
    $("task-form-dialog").showModal();
    $("tf-title").focus();
  }

  async function createTask(event) {
    event.preventDefault();
    const title = $("tf-title").value.trim();
    const titleError = $("tf-title-error");
    $("task-form-error").hidden = true;
    if (!title) {
      titleError.textContent = "A task needs a title.";
      titleError.hidden = false;
      $("tf-title").setAttribute("aria-invalid", "true");
      $("tf-title").focus();
      return;
    }
    titleError.hidden = true;
    $("tf-title").removeAttribute("aria-invalid");
    const body = {
      title,
      detail: $("tf-detail").value,
      priority: $("tf-priority").value,
    };
    const due = $("tf-due").value;
    if (due) body.due_date = new Date(due).toISOString();
    const assignee = $("tf-assignee").value;
    if (assignee) body.assigned_to = Number(assignee);
    const client = state.picked.client;
    if ($("tf-client").value.trim() && !client) {
      const box = $("task-form-error");
      box.textContent = "Pick the client from the list, or clear the client field.";
      box.hidden = false;
      $("tf-client").focus();
      return;
    }
    if (client) body.client_id = client.id;
    const visa = $("tf-visa").value;
    if (client && visa) body.visa_application_id = Number(visa);
    const submit = event.submitter || $("task-form").querySelector("[type=submit]");
    submit.disabled = true;
    try {
      const task = await api("POST", "/tasks/", body);
      $("task-form-dialog").close();
      toast(`Task created${task.assigned_to ? ` for ${userName(task.assigned_to)}` : ""}.`);
      // Show the new task: "Assigned to me" lists it only when it is mine.
      if (task.assigned_to !== state.me.id) $("task-view").value = "created";
      await attempt(loadTasks);
    } catch (err) {
      if (err instanceof SessionEnded) return;
      const fields = Object.entries(err.fields || {})
        .map(([name, problems]) => `${name}: ${problems.join(" ")}`)
        .join("; ");
      const box = $("task-form-error");
      box.textContent = fields ? `${err.message} (${fields})` : err.message;
      box.hidden = false;
    } finally {
      submit.disabled = false;
    }
  }

  // The client: a search over GET /clients/?q=, then a pick; then the
  // client's visa applications to choose from.

  function resetClientPicker() {
    state.picked.client = null;
    clearTimeout(state.picked.timer);
    $("tf-client").value = "";
    $("tf-client-results").replaceChildren();
    $("tf-client-results").hidden = true;
    fillVisaSelect(null, []);
  }

  function fillVisaSelect(client, applications) {
    const select = $("tf-visa");
    select.disabled = !client;
    const none = !client
      ? "Pick a client first"
      : applications.length
        ? "None"
        : "None (the client has no applications)";
    select.replaceChildren(
      el("option", { value: "" }, none),
      ...applications.map((v) => el("option", { value: v.id }, visaName(v))),
    );
  }

  function searchClients() {
    state.picked.client = null;
    fillVisaSelect(null, []);
    clearTimeout(state.picked.timer);
    const text = $("tf-client").value.trim();
    const results = $("tf-client-results");
    if (!text) {
      results.hidden = true;
      results.replaceChildren();
      return;
    }
    state.picked.timer = setTimeout(async () => {
      const asked = ++state.picked.query;
      const query = new URLSearchParams({ q: text, limit: "8" });
      const page = await attempt(() => api("GET", `/clients/?${query}`));
      if (!page || asked !== state.picked.query) return;
      const option = (c) =>
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", className: "picker-option", onclick: () => pickClient(c) },
            clientName(c),
            c.email ? el("span", { className: "muted" }, ` · ${c.email}`) : null,
          ),
        );
      results.replaceChildren(
        ...(page.results.length
          ? page.results.map(option)
          : [el("li", { className: "picker-none" }, "No client matches.")]),
      );
      results.hidden = false;
    }, 200);
  }

  async function pickClient(client) {
    state.picked.client = client;
    $("tf-client").value = clientName(client);
    $("tf-client-results").hidden = true;
    const query = new URLSearchParams({ client_id: String(client.id), limit: "100" });
    const page = await attempt(() => api("GET", `/visa-applications/?${query}`));
    if (state.picked.client !== client) return;
    fillVisaSelect(client, page ? page.results : []);
    $("tf-visa").focus();
  }

  // ---- one task ----

  /** The client and visa application a task is about, for its view. */
  async function loadRefs(task) {
    const get = (id, path) =>
      id === null ? null : api("GET", `${path}${id}/`).catch((err) => {
        if (err instanceof SessionEnded) throw err;
        return null; // deleted meanwhile, say: the view names the id
      });
    const [client, visa] = await Promise.all([
      get(task.client_id, "/clients/"),
      get(task.visa_application_id, "/visa-applications/"),
    ]);
    return { client, visa };
  }

  function renderFacts(task) {
    const fact = (label, value) => el("div", {}, el("dt", {}, label), el("dd", {}, value));
    $("task-facts").replaceChildren(
      fact("Priority", PRIORITY_LABELS[task.priority]),
      fact("Due", task.due_date ? dueText(task) : "No due date"),
      fact("Created by", userName(task.created_by)),
      task.assigned_by ? fact("Assigned by", userName(task.assigned_by)) : null,
      task.client_id !== null ? fact("Client", refName(task.client_id, "client")) : null,
      task.visa_application_id !== null
        ? fact("Visa application", refName(task.visa_application_id, "visa"))
        : null,
      receiptShown(task) ? fact("Receipt", receiptText(task)) : null,
    );
  }

  function refName(id, kind) {
    const ref = state.openRefs[kind];
    if (ref && ref.id === id) return kind === "client" ? clientName(ref) : visaName(ref);
    return kind === "client" ? `Client #${id}` : `Visa application #${id}`;
  }

  /** The creator and the assigner see whether the assignee got it. */
  function receiptShown(task) {
    const me = state.me && state.me.id;
    return task.assigned_to !== null && task.assigned_to !== me && (me === task.created_by || me === task.assigned_by);
  }

  function receiptText(task) {
    const who = userName(task.assigned_to);
    if (!task.assignee_seen_at) return `Not seen yet by ${who}`;
    const at = (iso) => timeFormat.format(new Date(iso));
    const seen = `Seen by ${who} at ${at(task.assignee_seen_at)}`;
    return task.assignee_read_at ? `${seen} · read at ${at(task.assignee_read_at)}` : seen;
  }

  /** A comment's text, with @mentions of known users set apart (as text). */
  function commentBody(body) {
    const known = new Set([...state.users.values()].map((u) => u.username.toLowerCase()));
    const parts = body.split(/(@[A-Za-z0-9._-]+)/);
    return parts.map((part) =>
      part.startsWith("@") && known.has(part.slice(1).toLowerCase())
        ? el("span", { className: "mention" }, part)
        : part,
    );
  }

  function renderComment(comment) {
    return el(
      "li",
      { "data-id": comment.id },
      el(
        "div",
        { className: "comment-head" },
        el("strong", {}, userName(comment.author_id)),
        timeEl(comment.created_at, ago(comment.created_at)),
      ),
      el("p", { className: "comment-body" }, commentBody(comment.body)),
    );
  }

  async function fetchComments(taskId) {
    let page = await api("GET", `/tasks/${taskId}/comments/?limit=200`);
    if (page.count > page.results.length) {
      const offset = page.count - 200;
      page = await api("GET", `/tasks/${taskId}/comments/?limit=200&offset=${offset}`);
    }
    return page.results;
  }

  async function showTask(taskId) {
    const dialog = $("task-dialog");
    $("task-error").hidden = true;
    try {
      const [task, comments] = await Promise.all([
        api("GET", `/tasks/${taskId}/`),
        fetchComments(taskId),
      ]);
      state.openRefs = await loadRefs(task);
      state.openTask = task;
      $("task-title").textContent = task.title;
      $("td-status").value = task.status;
      fillUserSelect($("td-assignee"), true);
      $("td-assignee").value = task.assigned_to === null ? "" : String(task.assigned_to);
      renderFacts(task);
      $("task-detail").textContent = task.detail;
      $("task-detail").hidden = !task.detail;
      $("comment-list").replaceChildren(...comments.map(renderComment));
      if (!dialog.open) {
        dialog.showModal();
        $("task-title").setAttribute("tabindex", "-1");
        $("task-title").focus();
      }
    } catch (err) {
      if (err instanceof SessionEnded) return;
      toast(err.status === 404 ? "That task no longer exists." : err.message, true);
      clearHash();
    }
  }

  async function refreshOpenTask() {
    if (!state.openTask) return;
    const taskId = state.openTask.id;
    await attempt(async () => {
      const [task, comments] = await Promise.all([
        api("GET", `/tasks/${taskId}/`),
        fetchComments(taskId),
      ]);
      const refs = await loadRefs(task);
      if (!state.openTask || state.openTask.id !== taskId) return;
      state.openRefs = refs;
      state.openTask = task;
      $("td-status").value = task.status;
      $("td-assignee").value = task.assigned_to === null ? "" : String(task.assigned_to);
      renderFacts(task);
      $("comment-list").replaceChildren(...comments.map(renderComment));
    });
  }

  async function changeOpenStatus() {
    const task = state.openTask;
    const select = $("td-status");
    if (!task || select.value === task.status) return;
    await changeStatus(task, select.value, select);
    scheduleTasksRefresh();
  }

  async function changeAssignee() {
    const task = state.openTask;
    const select = $("td-assignee");
    if (!task) return;
    const value = select.value === "" ? null : Number(select.value);
    if (value === task.assigned_to) return;
    select.disabled = true;
    const updated = await attempt(() =>
      value === null
        ? api("PATCH", `/tasks/${task.id}/`, { assigned_to: null })
        : api("POST", `/tasks/${task.id}/assign/`, { assigned_to: value }),
    );
    select.disabled = false;
    if (!updated) {
      select.value = task.assigned_to === null ? "" : String(task.assigned_to);
      return;
    }
    state.openTask = updated;
    renderFacts(updated);
    toast(`Assigned to ${userName(updated.assigned_to)}.`);
    scheduleTasksRefresh();
  }

  async function addComment(event) {
    event.preventDefault();
    const task = state.openTask;
    const box = $("comment-body");
    const body = box.value.trim();
    if (!task || !body) {
      box.focus();
      return;
    }
    const submit = $("comment-form").querySelector("[type=submit]");
    submit.disabled = true;
    const comment = await attempt(() => api("POST", `/tasks/${task.id}/comments/`, { body }));
    submit.disabled = false;
    if (!comment) return;
    box.value = "";
    const list = $("comment-list");
    if (!list.querySelector(`li[data-id="${comment.id}"]`)) list.append(renderComment(comment));
    scheduleTasksRefresh();
  }

  // ---- preferences ----

  function typeChecks(container, name, types, chosen) {
    container.replaceChildren(
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

  function checkedValues(name) {
    return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  async function openPrefs() {
    const prefs = await api("GET", "/users/me/preferences/");
    const types = Object.keys(KIND_LABELS);
    typeChecks($("prefs-muted"), "muted", types.filter((t) => t !== "SYSTEM"), prefs.muted_types);
    typeChecks($("prefs-email-types"), "email-type", types, prefs.email.types);
    $("prefs-email-on").checked = prefs.email.enabled;
    $("prefs-after").value = String(prefs.email.after_minutes);
    $("prefs-error").hidden = true;
    $("prefs-dialog").showModal();
  }

  async function savePrefs(event) {
    event.preventDefault();
    const minutes = Number($("prefs-after").value);
    const body = {
      muted_types: checkedValues("muted"),
      email: {
        enabled: $("prefs-email-on").checked,
        types: checkedValues("email-type"),
        after_minutes: minutes,
      },
    };
    const box = $("prefs-error");
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
      box.textContent = "Minutes must be a whole number from 0 to 1440.";
      box.hidden = false;
      return;
    }
    try {
      await api("PATCH", "/users/me/preferences/", body);
      $("prefs-dialog").close();
      toast("Preferences saved.");
    } catch (err) {
      if (err instanceof SessionEnded) return;
      box.textContent = err.message;
      box.hidden = false;
    }
  }

  // ---- routing: #task/ID opens a task ----

  function clearHash() {
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }

  function route() {
    if (!state.me) return;
    const match = /^#task\/(\d+)$/.exec(location.hash);
    if (match) showTask(Number(match[1]));
    else if ($("task-dialog").open) $("task-dialog").close();
  }

  // ---- one's own password ----

  function minutes(resp) {
    const seconds = Number(resp.headers.get("Retry-After")) || 60;
    const n = Math.ceil(seconds / 60);
    return n === 1 ? "a minute" : `${n} minutes`;
  }

  function openPasswordForm() {
    $("password-form").reset();
    $("password-error").hidden = true;
    $("password-dialog").showModal();
    $("pw-current").focus();
  }

  async function changePassword(event) {
    event.preventDefault();
    const error = $("password-error");
    const show = (message) => {
      error.textContent = message;
      error.hidden = false;
    };
    const body = {
      current_password: $("pw-current").value,
      new_password: $("pw-new").value,
    };
    if (body.new_password.length < 8) return show("The new password needs 8 characters or more.");
    if (body.new_password !== $("pw-repeat").value) return show("The new passwords differ.");
    try {
      await api("POST", "/users/me/password/", body);
    } catch (err) {
      if (err instanceof SessionEnded) return undefined;
      if (err.status === 403) return show("The current password is wrong.");
      if (err.status === 429) return show("Too many failed attempts; try again later.");
      const fields = Object.values(err.fields || {}).flat();
      return show(fields[0] || err.message);
    }
    $("password-dialog").close();
    toast("Password changed. Your other devices are signed out.");
    return undefined;
  }

  // ---- phones: one panel at a time ----

  function selectTab(name) {
    $("main").dataset.tab = name;
    for (const tab of document.querySelectorAll(".tabbar [role=tab]")) {
      const chosen = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
    }
  }

  function wireTabs() {
    const tabs = [...document.querySelectorAll(".tabbar [role=tab]")];
    for (const tab of tabs) {
      tab.addEventListener("click", () => {
        selectTab(tab.dataset.tab);
        window.scrollTo(0, 0);
      });
      tab.addEventListener("keydown", (event) => {
        if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
        const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
        next.click();
        next.focus();
      });
    }
    $("unread").addEventListener("click", () => selectTab("notes"));
  }

  // ---- wiring ----

  function wire() {
    $("signin-form").addEventListener("submit", signIn);
    $("signout").addEventListener("click", async () => {
      // End the session (the refresh cookie) and expire the stream cookie;
      // the page forgets its token either way.
      await Promise.all([
        fetch(API + "/auth/logout/", { method: "POST", credentials: "same-origin" }),
        fetch(API + "/notifications/stream/ticket/", {
          method: "DELETE",
          credentials: "same-origin",
        }),
      ]).catch(() => {});
      endSession();
    });
    $("change-password").addEventListener("click", openPasswordForm);
    $("password-form").addEventListener("submit", changePassword);
    $("mark-all").addEventListener("click", markAllRead);
    $("note-more").addEventListener("click", () => attempt(() => loadNotifications(true)));
    $("task-view").addEventListener("change", () => attempt(loadTasks));
    $("new-task").addEventListener("click", openTaskForm);
    $("prefs-open").addEventListener("click", () => attempt(openPrefs));
    $("prefs-form").addEventListener("submit", savePrefs);
    $("task-form").addEventListener("submit", createTask);
    $("tf-client").addEventListener("input", searchClients);
    $("tf-client").addEventListener("keydown", (event) => {
      // Enter picks the first match rather than submitting the form.
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = $("tf-client-results").querySelector(".picker-option");
      if (first && !$("tf-client-results").hidden) first.click();
    });
    $("td-status").addEventListener("change", changeOpenStatus);
    $("td-assignee").addEventListener("change", changeAssignee);
    $("comment-form").addEventListener("submit", addComment);
    $("comment-body").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        $("comment-form").requestSubmit();
      }
    });
    for (const button of document.querySelectorAll("[data-close]")) {
      button.addEventListener("click", () => button.closest("dialog").close());
    }
    $("task-dialog").addEventListener("close", () => {
      state.openTask = null;
      clearHash();
    });
    window.addEventListener("hashchange", route);
    // Relative times ("5 minutes ago") stay true.
    setInterval(() => {
      for (const time of document.querySelectorAll("#note-list time")) {
        time.textContent = ago(time.getAttribute("datetime"));
      }
    }, 60000);
  }

  wire();
  wireTabs();
  start();
})();
