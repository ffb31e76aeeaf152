// The inbox's shared state and its changes: who is signed in, the users,
// the unread count and where a stream resumes. Everything else a screen
// holds is its own. Other modules hear of changes through events:
//   signed-in, signed-out, unread (the count), task-changed (a task's new
//   state), task-touched (a task id: something about it changed elsewhere),
//   task-created (a task), tasks-stale (the task lists need reloading),
//   users (the users or teams were read again), case-edit (open a case's
//   form: {what, item, client, visas}), case-changed (a client, application
//   or document saved: {what, saved}).
import { Emitter } from "./emitter.js";
import { awayWords, userName, userOption } from "./labels.js";

export class Store extends Emitter {
  me = null;
  users = new Map(); // id → user
  unread = 0;
  lastEventId = 0; // greatest notification id seen: where a new stream resumes
  calendar = { timezone: "UTC" }; // the office's (GET /api/v1/calendar/)
  teams = new Map(); // id → team

  signIn(me, users, calendar = this.calendar, teams = []) {
    this.me = me;
    this.calendar = calendar;
    this.#setUsers(users);
    this.teams = new Map(teams.map((t) => [t.id, t]));
    this.emit("signed-in", me);
  }

  /** The users (GET /users/, each with their absence) and, when given, the
   * teams, read again. */
  setUsers(users, teams) {
    this.#setUsers(users);
    if (teams) this.teams = new Map(teams.map((t) => [t.id, t]));
    this.emit("users");
  }

  setTeams(teams) {
    this.teams = new Map(teams.map((t) => [t.id, t]));
    this.emit("users");
  }

  #setUsers(users) {
    this.users = new Map(users.map((u) => [u.id, u]));
    // The list's entry carries the absence; /users/me/ does not.
    this.users.set(this.me.id, { ...this.me, ...this.users.get(this.me.id) });
  }

  get isAdmin() {
    return Boolean(this.me && this.me.role === "admin");
  }

  teamName(id) {
    const team = this.teams.get(id);
    return team ? team.name : `team #${id}`;
  }

  /** The teams the signed-in user belongs to. */
  myTeams() {
    return [...this.teams.values()].filter((t) => t.member_ids.includes(this.me.id));
  }

  signOut() {
    this.me = null;
    this.unread = 0;
    this.lastEventId = 0;
    this.emit("signed-out");
  }

  setUnread(count) {
    this.unread = Math.max(0, count);
    this.emit("unread", this.unread);
  }

  /** A notification id seen (loaded, streamed or passed on by the leader). */
  saw(id) {
    this.lastEventId = Math.max(this.lastEventId, id || 0);
  }

  userName(id) {
    return userName(this.users, id);
  }

  /** Active users, the signed-in one first, then by name. */
  usersForPicker() {
    const others = [...this.users.values()]
      .filter((u) => u.id !== this.me.id)
      .sort((a, b) => this.userName(a.id).localeCompare(this.userName(b.id)));
    return [this.me, ...others];
  }

  /** Whether and until when a user is away, and who stands in, in words
   * ("" when they are not). */
  awayWords(user, now = Date.now()) {
    if (!user.absence) return "";
    const delegate = this.userName(user.absence.delegate_id);
    return awayWords(user.absence, delegate, now, this.calendar.timezone);
  }

  /** The options of a user picker ({value, label}), "Nobody yet" first when
   * asked; someone away is marked with their delegate ("Tom Becker (@tom) —
   * away until 14 Dec, goes to Ana Lima"). */
  userChoices(withNobody, now = Date.now()) {
    const choices = this.usersForPicker().map((u) => {
      const away = this.awayWords(u, now);
      return { value: String(u.id), label: userOption(u, this.me.id) + (away ? ` — ${away}` : "") };
    });
    return withNobody ? [{ value: "", label: "Nobody yet" }, ...choices] : choices;
  }

  knownUsernames() {
    return new Set([...this.users.values()].map((u) => u.username.toLowerCase()));
  }
}
