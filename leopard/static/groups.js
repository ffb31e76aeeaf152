// The notifications the inbox holds, grouped as GET …/notifications/?grouped=true
// groups them: what one task or visa application brought is one group, with
// its latest notification, its count and its unread count. Pure: the panel
// (notifications.js) draws what this decides.
//
// A group: {key, group, latest, count, unread, countedUpTo, expanded}.
// countedUpTo: the server counted the group's notifications up to that id; one
// of them arriving from the stream afterwards is not counted again.

export const groupKey = (note) => note.group || `id:${note.id}`;

export class Groups {
  groups = new Map(); // key → group
  notes = new Map(); // id → each notification known here

  get size() {
    return this.groups.size;
  }

  get(key) {
    return this.groups.get(key);
  }

  clear() {
    this.groups.clear();
    this.notes.clear();
  }

  create(note, count, unread, countedUpTo = 0) {
    const g = { key: groupKey(note), group: note.group, latest: note, count, unread };
    Object.assign(g, { countedUpTo, expanded: false });
    this.groups.set(g.key, g);
    return g;
  }

  /** The model's copy of a notification, brought up to date with `note`. */
  merge(note) {
    const known = this.notes.get(note.id);
    if (known) return Object.assign(known, note);
    this.notes.set(note.id, note);
    return note;
  }

  /** A group from a grouped page (which counted up to upTo): the new group,
   * or null when it is held already. */
  addSummary(summary, upTo) {
    const note = summary.latest;
    if (this.groups.has(groupKey(note))) return null;
    this.notes.set(note.id, note);
    return this.create(note, summary.count, summary.unread_count, upTo);
  }

  /** A notification from the stream. {kind: "known"} when held already;
   * {kind: "counted", g} when its group's count has it already; else
   * {kind: "added", g, created} with the counts updated. */
  addNote(note) {
    if (this.notes.has(note.id)) return { kind: "known" };
    this.notes.set(note.id, note);
    let g = this.groups.get(groupKey(note));
    if (g && note.id <= g.countedUpTo) return { kind: "counted", g };
    const created = !g;
    if (g) {
      g.count += 1;
      if (!note.read) g.unread += 1;
      if (note.id > g.latest.id) g.latest = note;
    } else {
      g = this.create(note, 1, note.read ? 0 : 1);
    }
    return { kind: "added", g, created };
  }

  /** A group's notifications as the server listed them (newest first, `count`
   * in all): when that is the whole group, its counts are exact now. */
  fill(g, results, count) {
    const notes = results.map((note) => this.merge(note));
    if (results.length === count) {
      g.count = count;
      g.unread = results.filter((n) => !n.read).length;
      if (count) g.countedUpTo = Math.max(g.countedUpTo, results[0].id);
    }
    return notes;
  }

  /** A group's counts from the server's summary; false when the summary is
   * older than what this tab holds. */
  refresh(g, summary) {
    if (summary.latest.id < g.latest.id) return false;
    g.count = summary.count;
    g.unread = summary.unread_count;
    g.countedUpTo = Math.max(g.countedUpTo, summary.latest.id);
    return true;
  }

  /** Forget a group and its notifications; the ids forgotten. */
  remove(g) {
    this.groups.delete(g.key);
    const ids = [];
    for (const [id, note] of [...this.notes]) {
      if (groupKey(note) === g.key) {
        this.notes.delete(id);
        ids.push(id);
      }
    }
    return ids;
  }

  /** Notifications marked read or unread (ids, or "all"): the notifications
   * and groups that changed, and whether some id was not held here. */
  applyRead(ids, read) {
    const targets = ids === "all" ? [...this.notes.keys()] : ids;
    const notes = [];
    const groups = new Set();
    let unknown = false;
    for (const id of targets) {
      const note = this.notes.get(id);
      if (!note) {
        unknown = true;
        continue;
      }
      if (note.read === read) continue;
      note.read = read;
      notes.push(note);
      const g = this.groups.get(groupKey(note));
      if (g) {
        g.unread = Math.max(0, Math.min(g.count, g.unread + (read ? -1 : 1)));
        groups.add(g);
      }
    }
    if (ids === "all") {
      for (const g of this.groups.values()) {
        g.unread = read ? 0 : g.count;
        groups.add(g);
      }
    }
    return { notes, groups: [...groups], unknown: ids !== "all" && unknown };
  }

  /** A whole group marked read: the notifications that changed. */
  markGroupRead(g) {
    const notes = [...this.notes.values()].filter((n) => groupKey(n) === g.key && !n.read);
    for (const note of notes) note.read = true;
    g.unread = 0;
    return notes;
  }
}
