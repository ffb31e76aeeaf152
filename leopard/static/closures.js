// The office closures page (#admin/closures), for admins: the closures ahead
// by date, a day to add with its name, and a closure to remove. Business
// days skip them from the moment they are made.
import { api, SessionEnded } from "./api.js";
import { calendarDay, daysBetween, today, weekdayDay } from "./dates.js";
import { dayWords } from "./deadlines.js";
import { byId, el, rowActions, showAlert } from "./dom.js";
import { attempt, toast } from "./toast.js";

/** What the page says the office's calendar already counts. */
export function calendarWords(calendar) {
  const weekend = (calendar.weekend || []).join(" and ");
  const holidays = calendar.holidays
    ? `the public holidays of ${calendar.holidays}`
    : "no public holidays";
  const days = weekend ? `the weekend (${weekend})` : "no weekend";
  return (
    `Business days already skip ${days} and ${holidays}. A closure counts from the ` +
    "moment it is added: deadlines set before keep their date."
  );
}

/** What is wrong with a closure before asking the server, or null. */
export function closureProblem(date, name, todayYmd) {
  if (!date) return "Pick the day the office is closed.";
  if (!name.trim()) return "Give the closure a name, as the calendar will show it.";
  if (daysBetween(todayYmd, date) < 0) return "That day has passed.";
  return null;
}

export class Closures {
  #asked = 0;

  constructor(store) {
    this.store = store;
    byId("closure-form").addEventListener("submit", (event) => this.#add(event));
    store.on("signed-out", () => byId("closure-list").replaceChildren());
  }

  async show() {
    byId("closures-note").textContent = calendarWords(this.store.calendar);
    byId("closure-date").min = this.#today();
    await attempt(() => this.#load());
  }

  #today() {
    return today(Date.now(), this.store.calendar.timezone);
  }

  async #load() {
    const asked = ++this.#asked;
    const page = await api("GET", `/calendar/closures/?from=${this.#today()}`);
    if (asked !== this.#asked) return;
    byId("closure-list").replaceChildren(...page.results.map((c) => this.#row(c)));
    byId("closure-empty").hidden = page.results.length > 0;
  }

  #row(closure) {
    const when = weekdayDay(closure.date);
    const away = dayWords(closure.date, this.#today());
    return el(
      "li",
      { className: "admin-item closure", "data-id": closure.id },
      el(
        "div",
        { className: "admin-main" },
        el(
          "p",
          { className: "admin-title" },
          el("time", { datetime: closure.date }, when),
          el("span", { className: "muted" }, away),
        ),
        el("p", { className: "admin-meta" }, closure.name),
      ),
      rowActions({
        words: "Remove",
        label: `Remove the closure of ${when}`,
        onclick: (event) => this.#remove(closure, event.currentTarget),
        ghost: true,
      }),
    );
  }

  async #add(event) {
    event.preventDefault();
    const box = byId("closure-error");
    const date = byId("closure-date").value;
    const name = byId("closure-name").value;
    const problem = closureProblem(date, name, this.#today());
    if (problem) {
      showAlert(box, problem);
      return;
    }
    try {
      await api("POST", "/calendar/closures/", { date, name: name.trim() });
    } catch (err) {
      if (err instanceof SessionEnded) return;
      showAlert(box, err.status === 409 ? `${calendarDay(date)} is a closure already.` : err.message);
      return;
    }
    showAlert(box, "");
    byId("closure-form").reset();
    toast(`The office is closed on ${calendarDay(date)}.`);
    await attempt(() => this.#load());
  }

  async #remove(closure, button) {
    button.disabled = true;
    const removed = await attempt(async () => {
      await api("DELETE", `/calendar/closures/${closure.id}/`);
      return true;
    });
    button.disabled = false;
    if (!removed) return;
    toast(`${calendarDay(closure.date)} is a working day again.`);
    await attempt(() => this.#load());
  }
}
