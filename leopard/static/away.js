// "Away" (#away-dialog): my absence — the days I am away, who stands in, a
// note — set, shown and ended. While it lasts, what is assigned to me goes
// to my delegate. Also reads the users again (each with their absence) for
// the assignee pickers as they open.
import { api, SessionEnded } from "./api.js";
import { dayStart, nextDay, today, weekdayDay } from "./dates.js";
import { byId, fillSelect, showAlert } from "./dom.js";
import { absenceDays, fieldsText, userOption } from "./labels.js";
import { attempt, toast } from "./toast.js";

let reading = null; // the read of the users on its way, if one is

/** The body of PUT …/absence/ from the form (days as YYYY-MM-DD in the
 * office's zone, the last one included), or {error}. */
export function absenceBody({ from, until, delegate, note }, todayYmd, timeZone) {
  const first = from || todayYmd;
  if (!until) return { error: "Say the last day you are away." };
  if (until < first) return { error: "The last day away comes after the first." };
  if (until < todayYmd) return { error: "That absence has ended already." };
  if (!delegate) return { error: "Choose who stands in for you." };
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
 * stands in." or "You will be away from … until …; Ana Lima will stand in." */
export function absenceText(absence, delegate, now, timeZone) {
  const { first, last } = absenceDays(absence, timeZone);
  const note = absence.note ? ` (${absence.note})` : "";
  if (Date.parse(absence.starts_at) <= now) {
    return `You are away until ${weekdayDay(last)}${note}; ${delegate} stands in.`;
  }
  return `You will be away from ${weekdayDay(first)} until ${weekdayDay(last)}${note}; ${delegate} will stand in.`;
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
  #absence = null; // mine, as GET …/absence/ answers

  constructor(store) {
    this.store = store;
    byId("away-open").addEventListener("click", () => attempt(() => this.open()));
    byId("away-form").addEventListener("submit", (event) => this.#save(event));
    byId("away-end").addEventListener("click", () => this.#end());
  }

  async open() {
    const { absence } = await api("GET", "/users/me/absence/");
    this.#absence = absence;
    const zone = this.store.calendar.timezone;
    const now = today(Date.now(), zone);
    const others = this.store.usersForPicker().filter((u) => u.id !== this.store.me.id);
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
    const text = absenceText(absence, delegate, now, this.store.calendar.timezone);
    byId("away-current-text").textContent = text;
    const started = Date.parse(absence.starts_at) <= now;
    byId("away-end").textContent = started ? "I am back: end it" : "Cancel this absence";
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
    const { body, error } = absenceBody(form, today(Date.now(), zone), zone);
    if (error) return showAlert(box, error);
    try {
      this.#absence = await api("PUT", "/users/me/absence/", body);
    } catch (err) {
      if (err instanceof SessionEnded) return undefined;
      const fields = fieldsText(err.fields);
      return showAlert(box, fields ? `${err.message} (${fields})` : err.message);
    }
    byId("away-dialog").close();
    const delegate = this.store.userName(this.#absence.delegate_id);
    toast(`Saved: ${delegate} gets what is assigned to you while you are away.`);
    await attempt(() => freshUsers(this.store));
    return undefined;
  }

  async #end() {
    const ended = await attempt(async () => {
      await api("DELETE", "/users/me/absence/");
      return true;
    });
    if (!ended) return;
    this.#absence = null;
    byId("away-dialog").close();
    toast("Welcome back: what is assigned to you comes to you again.");
    await attempt(() => freshUsers(this.store));
  }
}
