// The clients view (#clients): every client by last name, a search over
// names and email (GET /clients/?q=), each leading to their page.
import { api } from "./api.js";
import { byId, el } from "./dom.js";
import { clientName } from "./labels.js";
import { attempt } from "./toast.js";

const PAGE = 50;

export class Clients {
  #timer = null;
  #asked = 0; // the latest list asked for: older answers are dropped
  #shown = 0; // clients listed

  constructor(store) {
    byId("client-search").addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(this.#timer);
      attempt(() => this.#load());
    });
    byId("client-q").addEventListener("input", () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => attempt(() => this.#load()), 250);
    });
    byId("client-more").addEventListener("click", () => attempt(() => this.#load(true)));
    byId("client-new").addEventListener("click", () => store.emit("case-edit", { what: "client" }));
    store.on("signed-out", () => {
      clearTimeout(this.#timer);
      byId("client-q").value = "";
      byId("client-list").replaceChildren();
    });
  }

  async show() {
    await attempt(() => this.#load());
  }

  async #load(more = false) {
    const asked = ++this.#asked;
    const text = byId("client-q").value.trim();
    const offset = more ? this.#shown : 0;
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (text) query.set("q", text);
    const page = await api("GET", `/clients/?${query}`);
    if (asked !== this.#asked) return;
    const rows = page.results.map((client) => this.#row(client));
    if (more) byId("client-list").append(...rows);
    else byId("client-list").replaceChildren(...rows);
    this.#shown = offset + rows.length;
    byId("client-more").hidden = this.#shown >= page.count;
    const empty = byId("client-empty");
    empty.hidden = page.count > 0;
    empty.textContent = text ? `No client matches “${text}”.` : "No clients yet.";
    byId("client-count").textContent = text
      ? `${page.count} matching`
      : `${page.count} client${page.count === 1 ? "" : "s"}`;
  }

  #row(client) {
    const contact = [client.email, client.phone].filter(Boolean).join(" · ");
    return el(
      "li",
      { className: "client", "data-id": client.id },
      el(
        "a",
        { className: "client-name", href: `#client/${client.id}` },
        clientName(client) || `Client #${client.id}`,
      ),
      contact ? el("span", { className: "muted client-contact" }, contact) : null,
    );
  }
}
