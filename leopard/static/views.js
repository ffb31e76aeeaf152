// Which view the page shows: the inbox (notifications and tasks) or another
// screen (#deadlines, #clients, a case, …). Each screen owns its section;
// this only switches.

export class Views {
  #views = new Map(); // name → {section, enter, nav}
  current = "inbox";

  /** A view: its <section> (the inbox's is #main), what to do on entering,
   * and the link of the views' bar it belongs to (its own name by default). */
  add(name, section, enter = () => {}, { nav = name } = {}) {
    this.#views.set(name, { section, enter, nav });
  }

  show(name) {
    this.current = name;
    const view = this.#views.get(name);
    for (const [key, other] of this.#views) other.section.hidden = key !== name;
    for (const link of document.querySelectorAll(".views a[data-view]")) {
      if (link.dataset.view === view.nav) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.getElementById("app-view").dataset.view = name;
    return view.enter();
  }
}
