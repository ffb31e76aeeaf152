// The teams page (#admin/teams), for admins: each team with its leads and
// members; a new team, or a team's name, members and leads changed, in the
// team dialog (#team-dialog).
import { api, SessionEnded } from "./api.js";
import { byId, el, rowActions, showAlert } from "./dom.js";
import { fieldsText, plural } from "./labels.js";
import { attempt, toast } from "./toast.js";

/** The body of POST/PATCH /teams/ from the dialog: the name as typed and
 * picks [{id, member, lead}]; a lead is a member. {body} or {error}. */
export function teamBody(name, picks) {
  const trimmed = name.trim();
  if (!trimmed) return { error: "A team needs a name." };
  return {
    body: {
      name: trimmed,
      member_ids: picks.filter((p) => p.member || p.lead).map((p) => p.id),
      lead_ids: picks.filter((p) => p.lead).map((p) => p.id),
    },
  };
}

/** "Maria K, Tom B" or "nobody yet". */
export const namesOf = (ids, userName) => (ids.length ? ids.map(userName).join(", ") : "nobody yet");

export class TeamsAdmin {
  #editing = null; // the team in the dialog, or null for a new one
  #asked = 0;

  constructor(store) {
    this.store = store;
    byId("team-new").addEventListener("click", () => this.#open(null));
    byId("team-form").addEventListener("submit", (event) => this.#save(event));
    store.on("signed-out", () => byId("team-list").replaceChildren());
  }

  async show() {
    await attempt(() => this.#load());
  }

  async #load() {
    const asked = ++this.#asked;
    const page = await api("GET", "/teams/?limit=200");
    if (asked !== this.#asked) return;
    this.store.setTeams(page.results); // the pickers follow
    const teams = [...page.results].sort((a, b) => a.name.localeCompare(b.name));
    byId("team-list").replaceChildren(...teams.map((team) => this.#row(team)));
    byId("team-empty").hidden = teams.length > 0;
  }

  #row(team) {
    const name = (id) => this.store.userName(id);
    const members = team.member_ids.filter((id) => !team.lead_ids.includes(id));
    return el(
      "li",
      { className: "admin-item", "data-id": team.id },
      el(
        "div",
        { className: "admin-main" },
        el(
          "p",
          { className: "admin-title" },
          el("strong", {}, team.name),
          el("span", { className: "muted" }, plural(team.member_ids.length, "member")),
        ),
        el("p", { className: "admin-meta team-leads" }, `Leads: ${namesOf(team.lead_ids, name)}`),
        el("p", { className: "admin-meta team-members" }, `Members: ${namesOf(members, name)}`),
      ),
      rowActions({ words: "Edit", label: `Edit ${team.name}`, onclick: () => this.#open(team) }),
    );
  }

  #open(team) {
    this.#editing = team;
    byId("team-form-heading").textContent = team ? `Edit ${team.name}` : "New team";
    byId("team-name").value = team ? team.name : "";
    showAlert(byId("team-error"), "");
    const members = new Set(team ? team.member_ids : []);
    const leads = new Set(team ? team.lead_ids : []);
    byId("team-people").replaceChildren(
      ...this.store.usersForPicker().map((user) => {
        const who = this.store.userName(user.id);
        const named = `${who} (@${user.username})`; // two people may share a name
        const member = el("input", {
          type: "checkbox",
          className: "pick-member",
          checked: members.has(user.id),
          "aria-label": `${named} is a member`,
        });
        const lead = el("input", {
          type: "checkbox",
          className: "pick-lead",
          checked: leads.has(user.id),
          "aria-label": `${named} leads the team`,
        });
        // A lead is a member: one follows the other.
        lead.addEventListener("change", () => lead.checked && (member.checked = true));
        member.addEventListener("change", () => member.checked || (lead.checked = false));
        return el(
          "tr",
          { "data-id": user.id },
          el("th", { scope: "row" }, who, el("span", { className: "muted" }, ` @${user.username}`)),
          el("td", {}, member),
          el("td", {}, lead),
        );
      }),
    );
    byId("team-dialog").showModal();
    byId("team-name").focus();
  }

  async #save(event) {
    event.preventDefault();
    const box = byId("team-error");
    const picks = [...byId("team-people").children].map((row) => ({
      id: Number(row.dataset.id),
      member: row.querySelector(".pick-member").checked,
      lead: row.querySelector(".pick-lead").checked,
    }));
    const { body, error } = teamBody(byId("team-name").value, picks);
    if (error) {
      showAlert(box, error);
      byId("team-name").focus();
      return;
    }
    try {
      const team = this.#editing;
      const saved = team
        ? await api("PATCH", `/teams/${team.id}/`, body)
        : await api("POST", "/teams/", body);
      byId("team-dialog").close();
      toast(team ? `${saved.name} saved.` : `${saved.name} created.`);
      await this.#load();
    } catch (err) {
      if (err instanceof SessionEnded) return;
      const fields = fieldsText(err.fields);
      showAlert(box, fields ? `${err.message} (${fields})` : err.message);
    }
  }
}
