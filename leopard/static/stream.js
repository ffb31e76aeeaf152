// The stream: one per browser. Browsers allow about six connections per host,
// so the tabs of one user in one browser hold a single stream: the tab holding
// the Web Lock "leopard-stream:<user id>" (the leader) opens the EventSource
// and passes every event, with the last id it has, to the others on the
// BroadcastChannel of the same name. When it closes, the lock goes to another
// tab, which opens its own EventSource from the last id it was passed: nothing
// is missed. Without Web Locks or BroadcastChannel each tab keeps a stream of
// its own.
//
// It meets the rest of the page only through events: "event" {type, data},
// "conn" ("live" | "connecting" | "reconnecting"), "role" ("own" | "leader" |
// "follower").
import { requestTicket, hasToken, SessionEnded, STREAM_URL } from "./api.js";
import { Emitter } from "./emitter.js";

export const EVENT_TYPES = ["notification", "unread_count", "read", "unread", "deleted", "queue"];

const SHARED =
  typeof navigator !== "undefined" &&
  Boolean(navigator.locks) &&
  typeof BroadcastChannel === "function";

/** What to do with a frame of this tab's EventSource: "foreign" when a
 * notification is for another user (someone else signed in elsewhere in this
 * browser took the shared cookie), else "dispatch". */
export function frameAction(type, data, meId) {
  if (type === "notification" && meId !== null && JSON.parse(data).assigned_to !== meId) {
    return "foreign";
  }
  return "dispatch";
}

/** What a tab does with a message on the channel: the leader answers a
 * newcomer's "hello" with its connection state; a follower takes the state
 * ("conn") and every event (with the id the leader had reached). */
export function channelAction(leader, message) {
  if (leader) return message.type === "hello" ? { reply: "conn" } : null;
  if (message.type === "hello") return null;
  if (message.type === "conn") return { conn: message.state };
  return { event: { type: message.type, data: message.data }, id: message.id || 0 };
}

/** The wait before the next attempt to open a stream: doubles, up to 30 s. */
export const nextDelay = (delay) => Math.min(delay * 2, 30000);

/** The ids a read/unread/deleted event names: "all" or a list. */
export const eventIds = (body) => (body.all ? "all" : body.ids || []);

export class Stream extends Emitter {
  conn = "connecting";
  #store;
  #source = null; // this tab's EventSource
  #share = null; // the shared stream's lock and channel
  #delay = 1000;
  #timer = null;

  constructor(store) {
    super();
    this.#store = store;
  }

  get live() {
    return this.conn === "live";
  }

  /** Start this tab's part: its own stream, or the shared one (leader or
   * follower), opened once `loaded` (what this tab shows) has settled. */
  start(loaded) {
    this.stop();
    const own = () => this.#open().catch((err) => this.#failed(err));
    if (!SHARED) {
      this.emit("role", "own");
      loaded.then(own);
      return;
    }
    const name = `leopard-stream:${this.#store.me.id}`;
    const share = {
      channel: new BroadcastChannel(name),
      abort: new AbortController(),
      release: null,
      leader: false,
    };
    const held = new Promise((resolve) => (share.release = resolve));
    this.#share = share;
    this.emit("role", "follower");
    share.channel.onmessage = (event) => this.#fromChannel(share, event.data);
    navigator.locks
      .request(name, { signal: share.abort.signal }, async () => {
        await loaded; // resume after what this tab has loaded
        if (this.#share !== share) return;
        share.leader = true;
        this.emit("role", "leader");
        await own();
        await held; // the lock is this tab's while it lives
      })
      .catch(() => {}); // aborted: this tab stopped waiting for it
    share.channel.postMessage({ type: "hello" }); // the leader answers with its state
  }

  stop() {
    this.#close();
    const share = this.#share;
    this.#share = null;
    if (!share) return;
    share.abort.abort();
    share.release();
    share.channel.close();
  }

  #setConn(kind) {
    this.conn = kind;
    this.emit("conn", kind);
    const share = this.#share;
    if (share && share.leader) share.channel.postMessage({ type: "conn", state: kind });
  }

  #fromChannel(share, message) {
    if (this.#share !== share) return;
    const action = channelAction(share.leader, message);
    if (!action) return;
    if (action.reply) share.channel.postMessage({ type: "conn", state: this.conn });
    else if (action.conn) this.#setConn(action.conn);
    else {
      this.#store.saw(action.id);
      this.emit("event", action.event);
    }
  }

  #close() {
    clearTimeout(this.#timer);
    if (this.#source) this.#source.close();
    this.#source = null;
  }

  /** A fresh ticket (the HttpOnly cookie), then an EventSource that resumes
   * after the last notification this tab has; its own reconnects send
   * Last-Event-ID, so nothing in between is missed. */
  async #open() {
    this.#close();
    this.#setConn(this.#store.lastEventId ? "reconnecting" : "connecting");
    await requestTicket();
    if (!hasToken()) return;
    const source = new EventSource(`${STREAM_URL}?last_event_id=${this.#store.lastEventId}`);
    this.#source = source;
    source.onopen = () => {
      this.#delay = 1000;
      this.#setConn("live");
    };
    source.onerror = () => {
      if (this.#source !== source) return;
      this.#setConn("reconnecting");
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an
      // expired cookie answers 401): get a new ticket and open a new stream.
      if (source.readyState === EventSource.CLOSED) this.#reopen();
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (event) => this.#fromSource(source, type, event.data));
    }
  }

  #fromSource(source, type, data) {
    if (this.#source !== source) return;
    const me = this.#store.me;
    if (frameAction(type, data, me ? me.id : null) === "foreign") {
      this.#reopen(); // ask for a ticket of our own
      return;
    }
    this.emit("event", { type, data });
    const share = this.#share;
    if (share && share.leader) {
      share.channel.postMessage({ type, data, id: this.#store.lastEventId });
    }
  }

  #failed(err) {
    if (!(err instanceof SessionEnded)) this.#reopen();
  }

  #reopen() {
    this.#close();
    this.#setConn("reconnecting");
    const delay = this.#delay;
    this.#delay = nextDelay(delay);
    this.#timer = setTimeout(() => this.#open().catch((err) => this.#failed(err)), delay);
  }
}
