// A small event emitter: modules meet through named events, never through
// each other's DOM. Pure: works in the browser and in Node's test runner.

export class Emitter {
  #handlers = new Map();

  on(name, handler) {
    if (!this.#handlers.has(name)) this.#handlers.set(name, []);
    this.#handlers.get(name).push(handler);
    return () => this.off(name, handler);
  }

  off(name, handler) {
    const list = this.#handlers.get(name) || [];
    const at = list.indexOf(handler);
    if (at >= 0) list.splice(at, 1);
  }

  emit(name, detail) {
    for (const handler of [...(this.#handlers.get(name) || [])]) handler(detail);
  }
}
