// Stream events that arrive while the first page loads wait here, so that the
// page and the stream never count a notification twice. Pure.

export class EventGate {
  #pending = null; // held events while the page loads, else null
  #resolve = () => {};
  loaded = Promise.resolve(); // settles once the held events are passed on

  /** deliver({type, data}): what an event that may pass is given to. */
  constructor(deliver) {
    this.deliver = deliver;
  }

  hold() {
    this.#pending = [];
    this.loaded = new Promise((resolve) => (this.#resolve = resolve));
  }

  pass(event) {
    if (this.#pending) this.#pending.push(event);
    else this.deliver(event);
  }

  /** Pass on what waited, in order. Notifications the page counted already
   * are the receiver's to pass over; the unread counts that waited may be
   * older than the page, so `recount()` asks for the count once instead. */
  async open(recount) {
    const pending = this.#pending || [];
    this.#pending = null;
    let count = false;
    for (const event of pending) {
      if (event.type === "unread_count") count = true;
      else this.deliver(event);
    }
    if (count) await recount();
    this.#resolve();
  }

  /** Signed out: nothing waits any more. */
  reset() {
    this.#pending = null;
  }
}
