// Which view the page shows: the inbox (notifications and tasks) or another
// screen (#deadlines, …). Each screen owns its section; this only switches.

export class Views {
  #views = new Map(); // name → {section, enter}
  current = "inbox";

  /** A view: its <section> (the inbox's is #main) and what to do on entering. */
  add(name, section, enter = () => {}) {
    this.#views.set(name, { section, enter });
  }

  show(name) {
    this.current = name;
    for (const [key, view] of this.#views) view.section.hidden = key !== name;
    for (const link of document.querySelectorAll(".views a[data-view]")) {
      if (link.dataset.view === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.getElementById("app-view").dataset.view = name;
    return this.#views.get(name).enter();
  }
}
