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
    notes: new Map(), // id → notification
    noteEls: new Map(), // id → <li>
    oldestId: null,
    lastEventId: 0, // greatest notification id seen: where a new stream resumes
    unread: 0,
    source: null,
    reopenDelay: 1000,
    reopenTimer: null,
    expiryTimer: null, // renews the access token before it expires
    renewing: null,
    tasksTimer: null,
    openTask: null,
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
    closeStream();
    clearTimeout(state.expiryTimer);
    clearTimeout(state.tasksTimer);
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    Object.assign(state, {
      token: null,
      me: null,
      openTask: null,
      oldestId: null,
      lastEventId: 0,
      unread: 0,
    });
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
      await Promise.all([loadNotifications(), loadTasks()]);
      route();
      await openStream().catch((err) => {
        if (!(err instanceof SessionEnded)) scheduleReopen();
      });
    } catch (err) {
      if (!(err instanceof SessionEnded)) {
        $("boot").hidden = true;
        toast(err.message || "Leopard cannot be reached.", true);
      }
    }
  }

  // ---- notifications ----

  function setUnread(count) {
    state.unread = Math.max(0, count);
    const n = state.unread;
    $("unread-badge").textContent = n > 99 ? "99+" : String(n);
    $("unread").dataset.count = String(n);
    const text = `${n} unread notification${n === 1 ? "" : "s"}`;
    if ($("unread-text").textContent !== text) $("unread-text").textContent = text;
    document.title = n ? `(${n}) Leopard` : "Leopard";
  }

  function renderNote(note) {
    const taskId = Number.isInteger(note.meta_info && note.meta_info.task_id)
      ? note.meta_info.task_id
      : null;
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
        el(
          "div",
          { className: "note-top" },
          el("span", { className: "kind" }, KIND_LABELS[note.notification_type] || "Notice"),
          timeEl(note.created_at, ago(note.created_at)),
          note.emailed_at
            ? el("span", { className: "emailed", title: `Emailed ${dateFormat.format(new Date(note.emailed_at))}` }, "emailed")
            : null,
        ),
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

  function showEmptyNotes() {
    $("note-empty").hidden = state.notes.size > 0;
  }

  /** Put a notification in the list, newest (greatest id) first. */
  function addNote(note, fresh) {
    if (state.notes.has(note.id)) return false;
    state.notes.set(note.id, note);
    const li = renderNote(note);
    const list = $("note-list");
    const after = [...list.children].find((item) => Number(item.dataset.id) < note.id);
    list.insertBefore(li, after || null);
    if (fresh) li.classList.add("fresh");
    if (state.oldestId === null || note.id < state.oldestId) state.oldestId = note.id;
    state.lastEventId = Math.max(state.lastEventId, note.id);
    showEmptyNotes();
    return true;
  }

  async function loadNotifications(older = false) {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (older && state.oldestId !== null) query.set("before_id", String(state.oldestId));
    const page = await api("GET", `/notifications/?${query}`);
    for (const note of page.results) addNote(note, false);
    if (!older) setUnread(page.unread_count);
    $("note-more").hidden = page.results.length < PAGE;
    showEmptyNotes();
  }

  function applyRead(ids, read) {
    const targets = ids === "all" ? [...state.notes.keys()] : ids;
    for (const id of targets) {
      const note = state.notes.get(id);
      if (!note || note.read === read) continue;
      note.read = read;
      paintNote(note);
    }
  }

  function applyDeleted(ids) {
    const targets = ids === "all" ? [...state.notes.keys()] : ids;
    for (const id of targets) {
      state.notes.delete(id);
      const li = state.noteEls.get(id);
      if (li) li.remove();
      state.noteEls.delete(id);
    }
    showEmptyNotes();
  }

  /** After a change made here: the stream sends the new count; without one, ask. */
  async function refreshCountIfOffline() {
    if (state.source && state.source.readyState === EventSource.OPEN) return;
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
    if (taskId) location.hash = `#task/${taskId}`;
    openedFromNote(id);
  }

  function openedFromNote(id) {
    const note = state.notes.get(id);
    if (note && !note.read) toggleRead(id);
  }

  async function markAllRead() {
    await attempt(async () => {
      await api("POST", "/notifications/bulk/", { action: "mark_read", all: true });
      applyRead("all", true);
      await refreshCountIfOffline();
    });
  }

  // ---- the stream ----

  function setConnection(kind) {
    const labels = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" };
    $("conn").dataset.state = kind;
    $("conn-text").textContent = labels[kind];
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
    source.addEventListener("notification", (event) => onNotification(event));
    source.addEventListener("unread_count", (event) => {
      setUnread(JSON.parse(event.data).unread_count);
    });
    for (const [name, apply] of [
      ["read", (ids) => applyRead(ids, true)],
      ["unread", (ids) => applyRead(ids, false)],
      ["deleted", (ids) => applyDeleted(ids)],
    ]) {
      source.addEventListener(name, (event) => {
        const data = JSON.parse(event.data);
        apply(data.all ? "all" : data.ids || []);
      });
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

  function onNotification(event) {
    const note = JSON.parse(event.data);
    if (state.me && note.assigned_to !== state.me.id) {
      // Another user signed in elsewhere in this browser took the shared
      // cookie: ask for a ticket of our own.
      scheduleReopen();
      return;
    }
    if (!addNote(note, true)) return;
    if (!note.read) setUnread(state.unread + 1);
    const taskId = note.meta_info && note.meta_info.task_id;
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

  function dueText(task) {
    if (!task.due_date) return null;
    const overdue = !isDone(task) && new Date(task.due_date).getTime() < Date.now();
    const text = `${overdue ? "Overdue" : "Due"} ${ago(task.due_date)}`;
    return el("span", { className: overdue ? "overdue" : null }, timeEl(task.due_date, text));
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

  // ---- one task ----

  function renderFacts(task) {
    const fact = (label, value) => el("div", {}, el("dt", {}, label), el("dd", {}, value));
    $("task-facts").replaceChildren(
      fact("Priority", PRIORITY_LABELS[task.priority]),
      fact("Due", task.due_date ? dateFormat.format(new Date(task.due_date)) : "No due date"),
      fact("Created by", userName(task.created_by)),
      task.assigned_by ? fact("Assigned by", userName(task.assigned_by)) : null,
      receiptShown(task) ? fact("Receipt", receiptText(task)) : null,
    );
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
      if (!state.openTask || state.openTask.id !== taskId) return;
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
  start();
})();
