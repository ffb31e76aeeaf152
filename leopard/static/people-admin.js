// Who is away, on the teams page (#admin/teams), for admins: every active
// user with their absence, now or to come, and "Absence" to set, change or
// end it for them (the Away dialog, opened on someone else:
// /users/{id}/absence/). Someone off sick cannot set their own.
import { absenceText, freshUsers } from "./away.js";
import { byId, el, rowActions } from "./dom.js";
import { attempt } from "./toast.js";

/** A user's absence in the list's words: "At work", or their absence
 * ("Tom Becker is away until Mon, 14 Dec 2026; Ana Lima stands in."). An
 * absence that has ended is none. */
export function presenceText(user, name, delegateName, now, timeZone) {
  const absence = user.absence;
  if (!absence || Date.parse(absence.ends_at) <= now) return "At work";
  return absenceText(absence, delegateName(absence.delegate_id), now, timeZone, name);
}

export class PeopleAdmin {
  /** away: the Away dialog, which an admin opens on someone else. */
  constructor(store, away) {
    this.store = store;
    this.away = away;
    // The users read again (after a save here, or elsewhere): the list follows.
    store.on("users", () => !byId("teams-view").hidden && this.#render());
    store.on("signed-out", () => byId("people-list").replaceChildren());
  }

  async show() {
    this.#render();
    await attempt(() => freshUsers(this.store)); // absences set since sign-in
  }

  #render() {
    if (!this.store.me) return;
    byId("people-list").replaceChildren(
      ...this.store.usersForPicker().map((user) => this.#row(user)),
    );
  }

  #row(user) {
    const name = this.store.userName(user.id);
    const words = presenceText(
      user,
      name,
      (id) => this.store.userName(id),
      Date.now(),
      this.store.calendar.timezone,
    );
    const away = words !== "At work";
    return el(
      "li",
      { className: away ? "admin-item away" : "admin-item", "data-id": user.id },
      el(
        "div",
        { className: "admin-main" },
        el(
          "p",
          { className: "admin-title" },
          el("strong", {}, name),
          el("span", { className: "muted" }, `@${user.username}`),
        ),
        el("p", { className: "admin-meta person-absence" }, words),
      ),
      rowActions({
        words: away ? "Change absence" : "Set absence",
        label: `Absence of ${name}`,
        onclick: () => attempt(() => this.away.open(user)),
      }),
    );
  }
}
