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
    // The views' bar lights the view's link; a screen's own bar of pages
    // (the admin pages) lights the page's.
    const links = document.querySelectorAll(".views a[data-view], .subviews a[data-subview]");
    for (const link of links) {
      const current = link.dataset.view ? link.dataset.view === view.nav : link.dataset.subview === name;
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.getElementById("app-view").dataset.view = name;
    return view.enter();
  }
}
