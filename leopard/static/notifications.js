// The notifications panel: the grouped list (#note-list), mark read, and the
// stream's notification events. Its model is groups.js; its rows note-rows.js.
import { api } from "./api.js";
import { ago } from "./dates.js";
import { byId, el } from "./dom.js";
import { Groups, groupKey } from "./groups.js";
import { taskIdOf } from "./labels.js";
import { noteHref, paintGroup, paintNote, renderGroupRow, renderNote } from "./note-rows.js";
import { eventIds } from "./stream.js";
import { attempt } from "./toast.js";

const PAGE = 30;

export class Notifications {
  #model = new Groups();
  #rows = new Map(); // id → its <li>, when shown
  #reloadTimer = null;
  #actions = {
    toggleRead: (id) => this.#toggleRead(id),
    open: (event, id) => this.#open(event, id),
    opened: (id) => this.#opened(id),
    toggleGroup: (key) => this.#toggleGroup(key),
    markGroupRead: (key) => this.#markGroupRead(key),
    userName: (id) => this.store.userName(id),
  };

  constructor(store, stream) {
    this.store = store;
    this.stream = stream;
    byId("mark-all").addEventListener("click", () => this.#markAllRead());
    byId("note-more").addEventListener("click", () => attempt(() => this.load(true)));
    store.on("signed-out", () => this.#reset());
    // Relative times ("5 minutes ago") stay true.
    setInterval(() => {
      for (const time of byId("note-list").querySelectorAll("time")) {
        time.textContent = ago(time.getAttribute("datetime"));
      }
    }, 60000);
  }

  /** The first page of groups, or (older) the next one. */
  async load(older = false) {
    const query = new URLSearchParams({ grouped: "true", limit: String(PAGE) });
    if (older) query.set("offset", String(this.#model.size));
    const page = await api("GET", `/notifications/?${query}`);
    // The first page counted every notification up to the newest of all.
    const upTo = page.results.length ? page.results[0].latest.id : 0;
    for (const summary of page.results) this.#addSummary(summary, older ? summary.latest.id : upTo);
    if (!older) this.store.setUnread(page.unread_count);
    byId("note-more").hidden = page.results.length < PAGE;
    this.#showEmpty();
  }

  /** One event of the stream (see stream.js). */
  handle(type, data) {
    const body = JSON.parse(data);
    if (type === "notification") this.#onNotification(body);
    else if (type === "unread_count") this.store.setUnread(body.unread_count);
    else if (type === "read") this.#applyRead(eventIds(body), true);
    else if (type === "unread") this.#applyRead(eventIds(body), false);
    else if (type === "deleted") this.#applyDeleted(eventIds(body));
  }

  #reset() {
    clearTimeout(this.#reloadTimer);
    this.#model.clear();
    this.#rows.clear();
    byId("note-list").replaceChildren();
  }

  #row(note) {
    const li = renderNote(note, this.#actions);
    this.#rows.set(note.id, li);
    return li;
  }

  #paintNote(note) {
    const li = this.#rows.get(note.id);
    if (li) paintNote(li, note);
  }

  /** Draw a group's row anew and put it in its place: newest latest first. */
  #place(g, fresh = false) {
    if (!g.list) g.list = el("ul", { className: "group-notes", hidden: true });
    const grouped = g.count > 1 || g.expanded;
    const li = grouped ? renderGroupRow(g, this.#actions) : this.#row(g.latest);
    li.dataset.group = g.key;
    li.dataset.latest = String(g.latest.id);
    if (g.li) g.li.remove();
    g.li = li;
    const list = byId("note-list");
    const after = [...list.children].find((item) => Number(item.dataset.latest) < g.latest.id);
    list.insertBefore(li, after || null);
    if (fresh) li.classList.add("fresh");
    paintGroup(g);
  }

  #insertInGroup(g, note) {
    const li = this.#row(note);
    const after = [...g.list.children].find((item) => Number(item.dataset.id) < note.id);
    g.list.insertBefore(li, after || null);
  }

  #showEmpty() {
    byId("note-empty").hidden = this.#model.size > 0;
  }

  #addSummary(summary, upTo) {
    this.store.saw(summary.latest.id);
    const g = this.#model.addSummary(summary, upTo);
    if (g) this.#place(g);
    this.#showEmpty();
  }

  #onNotification(note) {
    const me = this.store.me;
    if (me && note.assigned_to !== me.id) return;
    const result = this.#model.addNote(note);
    if (result.kind === "known") return;
    this.store.saw(note.id);
    const g = result.g;
    if (result.kind === "counted") {
      // Counted already, by the page loaded while it was on its way.
      if (g.expanded && !this.#rows.has(note.id)) this.#insertInGroup(g, note);
      return;
    }
    // A group on a page not shown yet: its true count comes from the server.
    if (result.created && note.group) this.#refreshGroup(g.key);
    if (g.expanded) this.#insertInGroup(g, note);
    this.#place(g, true);
    this.#showEmpty();
    if (!note.read) this.store.setUnread(this.store.unread + 1);
    const taskId = taskIdOf(note);
    if (taskId) this.store.emit("task-touched", taskId);
  }

  /** One group's notifications (GET …/?group=), shown under its row. */
  async #toggleGroup(key) {
    const g = this.#model.get(key);
    if (!g) return;
    g.expanded = !g.expanded;
    if (g.expanded) await attempt(() => this.#fillGroup(g));
    if (this.#model.get(key) === g) paintGroup(g);
  }

  async #fillGroup(g) {
    const query = new URLSearchParams({ group: g.group, limit: "200" });
    const page = await api("GET", `/notifications/?${query}`);
    if (!g.expanded || this.#model.get(g.key) !== g) return;
    const notes = this.#model.fill(g, page.results, page.count);
    g.list.replaceChildren(...notes.map((note) => this.#row(note)));
  }

  /** A group's count and unread from the server (one it had not shown). */
  async #refreshGroup(key) {
    const g = this.#model.get(key);
    if (!g || !g.group) return;
    const query = new URLSearchParams({ grouped: "true", group: g.group, limit: "1" });
    const page = await attempt(() => api("GET", `/notifications/?${query}`));
    const summary = page && page.results[0];
    if (!summary || this.#model.get(key) !== g) return;
    if (this.#model.refresh(g, summary)) paintGroup(g);
  }

  /** Read, unread or deleted elsewhere, about notifications this tab does not
   * hold (a closed group's older ones): ask for the groups shown again. */
  #scheduleReload() {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => attempt(() => this.#reload()), 150);
  }

  async #reload() {
    const limit = Math.min(200, Math.max(PAGE, this.#model.size));
    const page = await api("GET", `/notifications/?grouped=true&limit=${limit}`);
    const upTo = page.results.length ? page.results[0].latest.id : 0;
    const seen = new Set();
    for (const summary of page.results) {
      const key = groupKey(summary.latest);
      seen.add(key);
      const g = this.#model.get(key);
      if (!g) {
        this.#addSummary(summary, upTo);
        continue;
      }
      // Newer here than in the answer (arrived meanwhile): this tab's counts.
      if (g.latest.id > summary.latest.id) continue;
      g.countedUpTo = Math.max(g.countedUpTo, upTo);
      g.latest = this.#model.merge(summary.latest);
      g.count = summary.count;
      g.unread = summary.unread_count;
      if (g.expanded) await this.#fillGroup(g);
      this.#place(g);
    }
    const last = page.results.length ? page.results[page.results.length - 1].latest.id : 0;
    for (const g of [...this.#model.groups.values()]) {
      const inRange = page.results.length < limit || g.latest.id > last;
      if (!seen.has(g.key) && inRange) this.#remove(g);
    }
    this.store.setUnread(page.unread_count);
    this.#showEmpty();
  }

  #remove(g) {
    g.li.remove();
    for (const id of this.#model.remove(g)) this.#rows.delete(id);
  }

  #applyRead(ids, read) {
    const changed = this.#model.applyRead(ids, read);
    for (const note of changed.notes) this.#paintNote(note);
    for (const g of changed.groups) paintGroup(g);
    if (changed.unknown) this.#scheduleReload();
  }

  #applyDeleted(ids) {
    if (ids === "all") {
      for (const g of [...this.#model.groups.values()]) this.#remove(g);
      this.#model.clear();
      this.#rows.clear();
    } else {
      for (const id of ids) {
        const li = this.#rows.get(id);
        if (li && li.closest(".group-notes")) li.remove();
      }
      // Counts and latest ones change: the server says what is left.
      this.#scheduleReload();
    }
    this.#showEmpty();
  }

  /** After a change made here: the stream sends the new count; without one, ask. */
  async #refreshCountIfOffline() {
    if (this.stream.live) return;
    const data = await api("GET", "/notifications/unread-count/");
    this.store.setUnread(data.unread_count);
  }

  async #toggleRead(id) {
    const note = this.#model.notes.get(id);
    if (!note) return;
    const read = !note.read;
    await attempt(async () => {
      const updated = await api("POST", `/notifications/${id}/${read ? "read" : "unread"}/`);
      this.#applyRead([id], updated.read);
      await this.#refreshCountIfOffline();
    });
  }

  /** A click anywhere on a row (but its own button or link) opens what the
   * notification is about, as its title link does, and marks it read. */
  #open(event, id) {
    if (event.target.closest("button, a")) return;
    event.stopPropagation(); // inside an open group: not its row's click
    const href = noteHref(this.#model.notes.get(id));
    if (href) location.hash = href;
    this.#opened(id);
  }

  #opened(id) {
    const note = this.#model.notes.get(id);
    if (note && !note.read) this.#toggleRead(id);
  }

  /** Mark a group read with one bulk action; the other tabs hear of it from
   * their streams (event: read with the ids), as for any bulk action. */
  async #markGroupRead(key) {
    const g = this.#model.get(key);
    if (!g || !g.group || g.unread === 0) return;
    await attempt(async () => {
      await api("POST", "/notifications/bulk/", { action: "mark_read", group: g.group });
      for (const note of this.#model.markGroupRead(g)) this.#paintNote(note);
      paintGroup(g);
      await this.#refreshCountIfOffline();
    });
  }

  async #markAllRead() {
    await attempt(async () => {
      await api("POST", "/notifications/bulk/", { action: "mark_read", all: true });
      this.#applyRead("all", true);
      await this.#refreshCountIfOffline();
    });
  }
}
