// The address: a view's (#deadlines, #clients, #client/ID, …) shows it;
// #task/ID opens a task over whichever view is shown. Screens register their
// own patterns.

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
  #view = ""; // the address of the view shown, under what opens over it

  /** enter(match): show what the address names; `over`: it opens over the
   * view (a dialog), which keeps its address to come back to. */
  add(pattern, enter, { over = false } = {}) {
    this.#routes.push({ pattern, enter, over });
  }

  /** leave(): called when the address names nothing (close what is open). */
  onNone(leave) {
    this.#none.push(leave);
  }

  route() {
    const found = matchRoute(this.#routes, location.hash);
    if (!found || !found.route.over) this.#view = found ? location.hash : "";
    if (found) found.route.enter(found.match);
    else for (const leave of this.#none) leave();
  }

  /** Back to the view's address (what opened over it has closed), without a
   * new history entry or a hashchange; an address that has moved on to a
   * view (or to nothing) since stays. */
  clear() {
    const found = matchRoute(this.#routes, location.hash);
    if (found && found.route.over && location.hash !== this.#view) {
      history.replaceState(null, "", location.pathname + location.search + this.#view);
    }
  }
}
