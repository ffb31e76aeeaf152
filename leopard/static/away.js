// "Away" (#away-dialog): my absence — the days I am away, who stands in, a
// note — set, shown and ended. While it lasts, what is assigned to me goes
// to my delegate. An admin opens the same dialog for someone else (the
// people on the teams page). Also reads the users again (each with their
// absence) for the assignee pickers as they open.
import { api, SessionEnded } from "./api.js";
import { dayStart, nextDay, today, weekdayDay } from "./dates.js";
import { byId, fillSelect, showAlert } from "./dom.js";
import { absenceDays, fieldsText, userOption } from "./labels.js";
import { attempt, toast } from "./toast.js";

let reading = null; // the read of the users on its way, if one is

/** The body of PUT …/absence/ from the form (days as YYYY-MM-DD in the
 * office's zone, the last one included), or {error}. who: the name of the
 * one away when it is not me. */
export function absenceBody({ from, until, delegate, note }, todayYmd, timeZone, who = null) {
  const first = from || todayYmd;
  if (!until) return { error: `Say the last day ${who ? `${who} is` : "you are"} away.` };
  if (until < first) return { error: "The last day away comes after the first." };
  if (until < todayYmd) return { error: "That absence has ended already." };
  if (!delegate) return { error: `Choose who stands in for ${who || "you"}.` };
  return {
    body: {
      starts_at: dayStart(first, timeZone),
      ends_at: dayStart(nextDay(until), timeZone),
      delegate_id: Number(delegate),
      note: note.trim(),
    },
  };
}

/** My absence in words: "You are away until Mon, 14 Dec 2026; Ana Lima
 * stands in." or "You will be away from … until …; Ana Lima will stand in.";
 * someone else's with their name (who): "Tom Becker is away until …". */
export function absenceText(absence, delegate, now, timeZone, who = null) {
  const { first, last } = absenceDays(absence, timeZone);
  const note = absence.note ? ` (${absence.note})` : "";
  if (Date.parse(absence.starts_at) <= now) {
    return `${who ? `${who} is` : "You are"} away until ${weekdayDay(last)}${note}; ${delegate} stands in.`;
  }
  const days = `from ${weekdayDay(first)} until ${weekdayDay(last)}${note}`;
  return `${who || "You"} will be away ${days}; ${delegate} will stand in.`;
}

/** Read the users again (with their absences; one read at a time); the
 * store tells the pickers ("users"). */
export function freshUsers(store) {
  if (!reading) {
    reading = api("GET", "/users/?limit=200")
      .then((users) => store.me && store.setUsers(users.results))
      .finally(() => (reading = null));
  }
  return reading;
}

export class Away {
  #absence = null; // the one shown, as GET …/absence/ answers
  #whose = null; // the user whose absence it is, null for mine
  #hint;

  constructor(store) {
    this.store = store;
    this.#hint = byId("away-hint").textContent;
    byId("away-open").addEventListener("click", () => attempt(() => this.open()));
    byId("away-form").addEventListener("submit", (event) => this.#save(event));
    byId("away-end").addEventListener("click", () => this.#end());
  }

  get #path() {
    return this.#whose ? `/users/${this.#whose.id}/absence/` : "/users/me/absence/";
  }

  /** The name of the one away, null when it is me. */
  get #who() {
    return this.#whose && this.store.userName(this.#whose.id);
  }

  /** Open the dialog on my absence, or (an admin) on user's. */
  async open(user = null) {
    this.#whose = user && user.id !== this.store.me.id ? user : null;
    const { absence } = await api("GET", this.#path);
    this.#absence = absence;
    const who = this.#who;
    byId("away-heading").textContent = who ? `Away: ${who}` : "Away";
    byId("away-hint").textContent = who
      ? `While ${who} is away, what is assigned to them goes to the colleague named, and their reminders are copied to them. The tasks they hold stay theirs.`
      : this.#hint;
    const zone = this.store.calendar.timezone;
    const now = today(Date.now(), zone);
    const away = this.#whose ? this.#whose.id : this.store.me.id;
    const others = this.store.usersForPicker().filter((u) => u.id !== away);
    fillSelect(byId("away-delegate"), [
      { value: "", label: "Choose a colleague" },
      ...others.map((u) => {
        const away = this.store.awayWords(u);
        return { value: String(u.id), label: userOption(u, null) + (away ? ` — ${away}` : "") };
      }),
    ]);
    const days = absence ? absenceDays(absence, zone) : null;
    byId("away-from").value = days ? days.first : now;
    byId("away-until").value = days ? days.last : "";
    byId("away-until").min = now;
    byId("away-delegate").value = absence ? String(absence.delegate_id) : "";
    byId("away-note").value = absence ? absence.note : "";
    this.#showCurrent();
    showAlert(byId("away-error"), "");
    byId("away-dialog").showModal();
    byId(absence ? "away-until" : "away-from").focus();
  }

  #showCurrent() {
    const absence = this.#absence;
    byId("away-current").hidden = !absence;
    if (!absence) return;
    const delegate = this.store.userName(absence.delegate_id);
    const now = Date.now();
    const text = absenceText(absence, delegate, now, this.store.calendar.timezone, this.#who);
    byId("away-current-text").textContent = text;
    const started = Date.parse(absence.starts_at) <= now;
    const back = this.#whose ? "End it now" : "I am back: end it";
    byId("away-end").textContent = started ? back : "Cancel this absence";
  }

  async #save(event) {
    event.preventDefault();
    const box = byId("away-error");
    const zone = this.store.calendar.timezone;
    const form = {
      from: byId("away-from").value,
      until: byId("away-until").value,
      delegate: byId("away-delegate").value,
      note: byId("away-note").value,
    };
    const who = this.#who;
    const { body, error } = absenceBody(form, today(Date.now(), zone), zone, who);
    if (error) return showAlert(box, error);
    try {
      this.#absence = await api("PUT", this.#path, body);
    } catch (err) {
      if (err instanceof SessionEnded) return undefined;
      const fields = fieldsText(err.fields);
      return showAlert(box, fields ? `${err.message} (${fields})` : err.message);
    }
    byId("away-dialog").close();
    const delegate = this.store.userName(this.#absence.delegate_id);
    toast(
      who
        ? `Saved: ${delegate} gets what is assigned to ${who} while they are away.`
        : `Saved: ${delegate} gets what is assigned to you while you are away.`,
    );
    await attempt(() => freshUsers(this.store));
    return undefined;
  }

  async #end() {
    const ended = await attempt(async () => {
      await api("DELETE", this.#path);
      return true;
    });
    if (!ended) return;
    this.#absence = null;
    byId("away-dialog").close();
    const who = this.#who;
    toast(
      who
        ? `Ended: what is assigned to ${who} goes to them again.`
        : "Welcome back: what is assigned to you comes to you again.",
    );
    await attempt(() => freshUsers(this.store));
  }
}
