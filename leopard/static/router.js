// The address: #task/ID opens a task; screens register their own patterns.

/** The first route whose pattern matches the hash, with the match; or null. */
export function matchRoute(routes, hash) {
  for (const route of routes) {
    const match = route.pattern.exec(hash);
    if (match) return { route, match };
  }
  return null;
}

export class Router {
  #routes = [];
  #none = [];

  /** enter(match): show what the address names. */
  add(pattern, enter) {
    this.#routes.push({ pattern, enter });
  }

  /** leave(): called when the address names nothing (close what is open). */
  onNone(leave) {
    this.#none.push(leave);
  }

  route() {
    const found = matchRoute(this.#routes, location.hash);
    if (found) found.route.enter(found.match);
    else for (const leave of this.#none) leave();
  }

  /** Forget the address without a new history entry or a hashchange. */
  clear() {
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }
}
