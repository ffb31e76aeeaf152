// The deadlines view (#deadlines): my open tasks due and my documents
// expiring in the next 90 days, by day in the office's zone, and my calendar
// feed's address to copy.
import { api } from "./api.js";
import { calendarDay, clockTime, dayOf, daysBetween, expiryWords, today } from "./dates.js";
import { byId, el, showAlert } from "./dom.js";
import { clientName, codeLabel } from "./labels.js";
import { attempt, toast } from "./toast.js";

export const AHEAD_DAYS = 90;

/** The rows of the view, by day (YYYY-MM-DD in the office's zone), tasks
 * before documents on a day: [{day, items: [{kind, text, href, overdue}]}]. */
export function deadlineDays(tasks, documents, clients, todayYmd, timeZone) {
  const items = [
    ...tasks.map((task) => ({
      day: dayOf(task.due_date, timeZone),
      order: 0,
      kind: "Task",
      text: task.title,
      when: task.due_date,
      href: `#task/${task.id}`,
      overdue: new Date(task.due_date).getTime() < Date.now(),
    })),
    ...documents.map((doc) => {
      const owner = clients.get(doc.client_id);
      const words = expiryWords(doc.expires_on, todayYmd);
      return {
        day: doc.expires_on,
        order: 1,
        kind: codeLabel(doc.kind),
        text: `${owner ? clientName(owner) : `Client #${doc.client_id}`}: ${words.text}`,
        href: `#client/${doc.client_id}`,
        overdue: words.expired,
      };
    }),
  ].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
  const days = [];
  for (const item of items) {
    if (!days.length || days.at(-1).day !== item.day) days.push({ day: item.day, items: [] });
    days.at(-1).items.push(item);
  }
  return days;
}

/** "Today", "Tomorrow", "In 5 days", "2 days ago" beside a day's date. */
export function dayWords(day, todayYmd) {
  const n = daysBetween(todayYmd, day);
  if (n === 0) return "Today";
  if (n === 1) return "Tomorrow";
  if (n === -1) return "Yesterday";
  return n > 0 ? `In ${n} days` : `${-n} days ago`;
}

export class Deadlines {
  constructor(store) {
    this.store = store;
    byId("feed-new").addEventListener("click", () => this.#newFeed());
    byId("feed-copy").addEventListener("click", () => this.#copy());
    store.on("signed-out", () => {
      byId("deadline-list").replaceChildren();
      byId("feed-url").value = "";
      byId("feed-box").hidden = true;
    });
  }

  async show() {
    await attempt(() => this.#load());
  }

  async #load() {
    const zone = this.store.calendar.timezone;
    const now = today(Date.now(), zone);
    const last = new Date(Date.now() + AHEAD_DAYS * 86400000).toISOString();
    const until = new Date(`${now}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + AHEAD_DAYS + 1);
    const taskQuery = new URLSearchParams({
      assigned_to: "me",
      status: "PENDING,IN_PROGRESS",
      due_before: last,
      ordering: "due_date",
      limit: "200",
    });
    const docQuery = new URLSearchParams({
      responsible_id: "me",
      expires_after: dayBefore(now),
      expires_before: until.toISOString().slice(0, 10),
      limit: "200",
    });
    const [tasks, docs] = await Promise.all([
      api("GET", `/tasks/?${taskQuery}`),
      api("GET", `/documents/?${docQuery}`),
    ]);
    const ids = [...new Set(docs.results.map((d) => d.client_id))];
    const owners = await Promise.all(
      ids.map((id) => api("GET", `/clients/${id}/`).catch(() => null)),
    );
    const clients = new Map(owners.filter(Boolean).map((c) => [c.id, c]));
    this.#render(deadlineDays(tasks.results, docs.results, clients, now, zone), now);
  }

  #render(days, todayYmd) {
    byId("deadline-empty").hidden = days.length > 0;
    byId("deadline-list").replaceChildren(
      ...days.map((day) =>
        el(
          "li",
          { className: "deadline-day" },
          el(
            "h3",
            {},
            calendarDay(day.day),
            el("span", { className: "muted" }, ` · ${dayWords(day.day, todayYmd)}`),
          ),
          el(
            "ul",
            { className: "deadline-items" },
            day.items.map((item) =>
              el(
                "li",
                { className: item.overdue ? "overdue" : null },
                el("span", { className: "kind" }, item.kind),
                item.href ? el("a", { href: item.href }, item.text) : el("span", {}, item.text),
                item.when ? el("span", { className: "muted" }, ` · ${clockTime(item.when)}`) : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  async #newFeed() {
    const made = await attempt(() => api("POST", "/users/me/calendar-feed/"));
    if (!made) return;
    byId("feed-url").value = made.url;
    byId("feed-box").hidden = false;
    showAlert(byId("feed-note"), "A new address: the one you had before no longer works.");
    byId("feed-url").select();
  }

  async #copy() {
    const box = byId("feed-url");
    try {
      await navigator.clipboard.writeText(box.value);
      toast("Copied. Paste it into your calendar as a subscription.");
    } catch {
      box.select(); // the browser refused: the text is selected to copy by hand
      toast("Select the address and copy it.", true);
    }
  }
}

function dayBefore(ymd) {
  const day = new Date(`${ymd}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}
