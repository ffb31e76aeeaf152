// The top bar: who is signed in, the stream's state, the unread badge and the
// page title; on phones, the tab bar that shows one panel at a time.
import { byId } from "./dom.js";
import { absenceDays, plural } from "./labels.js";
import { shortDay } from "./dates.js";

const CONN_LABELS = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting…" };

/** The badge's text: the count, "99+" beyond. */
export const badgeText = (n) => (n > 99 ? "99+" : String(n));

export class Header {
  constructor(store, stream) {
    store.on("signed-in", (me) => {
      byId("me-name").textContent = me.full_name || me.username;
      byId("nav-admin").hidden = me.role !== "admin"; // the admin pages
      this.#paintAway(store);
    });
    store.on("users", () => this.#paintAway(store));
    store.on("unread", (n) => this.#paintUnread(n));
    store.on("signed-out", () => (document.title = "Leopard"));
    stream.on("conn", (kind) => {
      byId("conn").dataset.state = kind;
      byId("conn-text").textContent = CONN_LABELS[kind];
    });
    stream.on("role", (role) => (byId("conn").dataset.stream = role));
    this.#wireTabs();
  }

  #paintUnread(n) {
    byId("unread-badge").textContent = badgeText(n);
    byId("unread").dataset.count = String(n);
    const text = `${plural(n, "unread notification")}`;
    if (byId("unread-text").textContent !== text) byId("unread-text").textContent = text;
    document.title = n ? `(${n}) Leopard` : "Leopard";
  }

  /** "Away until 14 Dec" beside my name while I am away. */
  #paintAway(store) {
    const me = store.me && store.users.get(store.me.id);
    const absence = me && me.absence;
    const away = absence && Date.parse(absence.starts_at) <= Date.now();
    byId("me-away").hidden = !away;
    if (away) {
      const { last } = absenceDays(absence, store.calendar.timezone);
      byId("me-away").textContent = `Away until ${shortDay(last)}`;
    }
  }

  selectTab(name) {
    byId("main").dataset.tab = name;
    for (const tab of document.querySelectorAll(".tabbar [role=tab]")) {
      const chosen = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
    }
  }

  #wireTabs() {
    const tabs = [...document.querySelectorAll(".tabbar [role=tab]")];
    for (const tab of tabs) {
      tab.addEventListener("click", () => {
        this.selectTab(tab.dataset.tab);
        window.scrollTo(0, 0);
      });
      tab.addEventListener("keydown", (event) => {
        if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
        const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
        next.click();
        next.focus();
      });
    }
    byId("unread").addEventListener("click", () => this.selectTab("notes"));
  }
}
