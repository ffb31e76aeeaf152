// The controller: signing in and out, the first load, and the stream's events
// passed to the panels once the first page is in.
import { api, SessionEnded } from "./api.js";
import { useZone } from "./dates.js";
import { closeDialogs } from "./dom.js";
import { EventGate } from "./gate.js";
import { attempt, toast } from "./toast.js";

export class Inbox {
  constructor({ store, session, stream, notifications, tasks, router, signin }) {
    Object.assign(this, { store, session, stream, notifications, tasks, router, signin });
    this.gate = new EventGate(({ type, data }) => notifications.handle(type, data));
    stream.on("event", (event) => this.gate.pass(event));
    session.on("ended", (message) => this.#end(message));
    window.addEventListener("hashchange", () => store.me && router.route());
  }

  async start() {
    const resumed = await this.session.resume();
    if (resumed !== "ok") {
      const expired = resumed === "expired";
      return this.signin.show(expired ? "Your session has expired. Please sign in again." : "");
    }
    try {
      const [me, users, calendar, teams] = await Promise.all([
        api("GET", "/users/me/"),
        api("GET", "/users/?limit=200"),
        api("GET", "/calendar/"),
        api("GET", "/teams/?limit=200"),
      ]);
      this.session.showing(me.id);
      useZone(calendar.timezone); // dates as the office reads them
      this.store.signIn(me, users.results, calendar, teams.results);
      this.signin.showApp();
      // Join the browser's stream first, so that nothing sent while the page
      // loads is missed; its events wait for the load.
      this.gate.hold();
      this.stream.start(this.gate.loaded);
      await Promise.all([this.notifications.load(), this.tasks.load()]);
      await this.gate.open(() =>
        attempt(async () => {
          const data = await api("GET", "/notifications/unread-count/");
          this.store.setUnread(data.unread_count);
        }),
      );
      this.router.route();
    } catch (err) {
      if (!(err instanceof SessionEnded)) {
        this.signin.hideBoot();
        toast(err.message || "Leopard cannot be reached.", true);
      }
    }
    return undefined;
  }

  #end(message) {
    this.stream.stop();
    this.gate.reset();
    closeDialogs();
    this.store.signOut();
    this.signin.show(message);
  }
}
