// A case's history (#case-history): the timeline, newest first, in words,
// by the office's days; the latest entries first and earlier ones on demand
// (a long case has thousands); and the whole of it as CSV to download.
import { api, apiFile } from "./api.js";
import { calendarDay, clockTime, dayOf, fullDate, today } from "./dates.js";
import { dayWords } from "./deadlines.js";
import { byId, el, timeEl } from "./dom.js";
import { byTime, groupFacts, mergeEntries } from "./history-facts.js";
import { itemWords, subjectNames, timelineDays } from "./timeline.js";
import { attempt } from "./toast.js";

export const PAGE = 100; // entries a request reads

/** The page before the entries loaded from offset `start` on. */
export const pageBefore = (start) => ({
  offset: Math.max(0, start - PAGE),
  limit: Math.min(PAGE, start),
});

/** Times as the office reads them; a receipt's on another day than its
 * notification with its date. */
function officeWords(user, names) {
  return {
    user,
    names,
    moment: fullDate,
    date: calendarDay,
    clock: (iso, since) => (dayOf(iso) === dayOf(since) ? clockTime(iso) : fullDate(iso)),
  };
}

export class CaseHistory {
  #path = null; // "/clients/1/history/"
  #entries = []; // those loaded, in the API's order
  #start = 0; // the offset of the first of them
  #count = 0;
  #refs = {};
  #asked = 0; // the latest read asked for: older answers are dropped

  constructor(store) {
    this.store = store;
    byId("history-earlier").addEventListener("click", () => attempt(() => this.#earlier()));
    byId("history-csv").addEventListener("click", () => this.#download());
    store.on("signed-out", () => this.reset());
  }

  /** The latest entries of the history at `path`; `refs` ({clients, visas,
   * documents, tasks}) name what they are about. Shown again, the same
   * history keeps the earlier entries it has and reads the latest anew. */
  async show(path, refs) {
    if (path !== this.#path) this.reset(path);
    this.#refs = refs;
    const asked = ++this.#asked;
    let page = await api("GET", `${path}?limit=${PAGE}`);
    let start = 0;
    if (page.count > page.results.length) {
      start = page.count - PAGE;
      page = await api("GET", `${path}?limit=${PAGE}&offset=${start}`);
    }
    if (asked !== this.#asked) return;
    if (this.#entries.length && this.#start < start && page.results.length) {
      const first = page.results[0];
      const kept = this.#entries.filter((entry) => byTime(entry, first) < 0);
      this.#entries = mergeEntries(kept, page.results);
    } else {
      this.#entries = page.results;
      this.#start = start;
    }
    this.#count = page.count;
    this.#render();
  }

  /** Show nothing (a case is on its way); `path`: the history to come. */
  reset(path = null) {
    this.#path = path;
    this.#entries = [];
    this.#start = 0;
    this.#count = 0;
    this.#asked++;
    byId("history-list").replaceChildren();
    byId("history-earlier").hidden = true;
    byId("history-empty").hidden = true;
    byId("history-note").textContent = "";
  }

  async #earlier() {
    const path = this.#path;
    const { offset, limit } = pageBefore(this.#start);
    if (!limit) return;
    const button = byId("history-earlier");
    button.disabled = true;
    try {
      const page = await api("GET", `${path}?limit=${limit}&offset=${offset}`);
      if (path !== this.#path) return;
      this.#entries = mergeEntries(page.results, this.#entries);
      this.#start = offset;
      this.#render();
    } finally {
      button.disabled = false;
    }
  }

  #render() {
    const user = (id) => this.store.userName(id);
    const ctx = officeWords(user, subjectNames(this.#entries, this.#refs));
    const now = today();
    const days = timelineDays(groupFacts(this.#entries), (iso) => dayOf(iso));
    byId("history-list").replaceChildren(
      ...days.map((day) =>
        el(
          "li",
          { className: "timeline-day" },
          el(
            "h3",
            {},
            calendarDay(day.day),
            el("span", { className: "muted" }, ` · ${dayWords(day.day, now)}`),
          ),
          el(
            "ol",
            { className: "timeline-items" },
            day.items.map((item) => this.#item(item, ctx)),
          ),
        ),
      ),
    );
    byId("history-empty").hidden = this.#entries.length > 0;
    byId("history-earlier").hidden = this.#start === 0;
    const shown = Math.min(this.#entries.length, this.#count);
    byId("history-note").textContent =
      this.#start > 0
        ? `Newest first, in the office's time zone: the latest ${shown} of ${this.#count} entries.`
        : "Newest first, in the office's time zone.";
  }

  #item(item, ctx) {
    const { entry } = item;
    const words = itemWords(item, ctx);
    return el(
      "li",
      { className: "timeline-item", "data-id": entry.id, "data-action": entry.action },
      timeEl(entry.at, clockTime(entry.at)),
      el(
        "div",
        { className: "timeline-body" },
        el("p", { className: "timeline-text" }, words.text),
        words.receipts.length
          ? el("ul", { className: "receipts" }, words.receipts.map((text) => el("li", {}, text)))
          : null,
      ),
    );
  }

  /** The whole history as CSV: read with the Bearer header, then offered to
   * the browser as a file from memory. */
  async #download() {
    const path = this.#path;
    if (!path) return;
    const button = byId("history-csv");
    button.disabled = true;
    const file = await attempt(() => apiFile(`${path}?format=csv`, "text/csv"));
    button.disabled = false;
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.text], { type: "text/csv" }));
    const name = file.filename || "history.csv";
    const link = el("a", { href: url, download: name, hidden: true });
    byId("case-history").append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
}
