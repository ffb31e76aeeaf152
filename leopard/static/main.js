// Leopard's web inbox: plain ES modules, no build step, no framework. This
// module wires them; user content reaches the page only as text (dom.js).
import { Away } from "./away.js";
import { CaseForms } from "./case-forms.js";
import { CaseHistory } from "./case-history.js";
import { CaseView } from "./case-view.js";
import { Clients } from "./clients.js";
import { Closures } from "./closures.js";
import { Deadlines } from "./deadlines.js";
import { byId } from "./dom.js";
import { Header } from "./header.js";
import { Inbox } from "./inbox.js";
import { Notifications } from "./notifications.js";
import { PasswordDialog } from "./password.js";
import { PeopleAdmin } from "./people-admin.js";
import { Preferences } from "./preferences.js";
import { Queue } from "./queue.js";
import { Router } from "./router.js";
import { Session } from "./session.js";
import { SignIn } from "./signin.js";
import { Store } from "./store.js";
import { Stream } from "./stream.js";
import { TaskDialog } from "./task-dialog.js";
import { TaskForm } from "./task-form.js";
import { Tasks } from "./tasks.js";
import { TeamsAdmin } from "./teams-admin.js";
import { TemplateForm } from "./template-form.js";
import { TemplatesAdmin } from "./templates-admin.js";
import { toast } from "./toast.js";
import { Views } from "./views.js";

const store = new Store();
const session = new Session();
const stream = new Stream(store);
const router = new Router();
new Header(store, stream);
new Preferences();
new PasswordDialog();
const away = new Away(store);
const notifications = new Notifications(store, stream);
const taskForm = new TaskForm(store);
const tasks = new Tasks(store, { onNew: () => taskForm.open() });
const taskDialog = new TaskDialog(store, { onClose: () => router.clear() });
const views = new Views();
const deadlines = new Deadlines(store);
const clients = new Clients(store);
const caseView = new CaseView(store, new CaseHistory(store));
new CaseForms(store);
const templateForm = new TemplateForm(store, { onSaved: () => templates.load() });
const templates = new TemplatesAdmin(store, templateForm);
const teams = new TeamsAdmin(store);
const people = new PeopleAdmin(store, away);
const closures = new Closures(store);
const queue = new Queue(store, stream);
views.add("inbox", byId("main"));
views.add("deadlines", byId("deadlines-view"), () => deadlines.show());
views.add("clients", byId("clients-view"), () => clients.show());
views.add("case", byId("case-view"), undefined, { nav: "clients" });
views.add("queue", byId("queue-view"), () => queue.show());
views.add("templates", byId("templates-view"), () => templates.show(), { nav: "admin" });
views.add("teams", byId("teams-view"), () => Promise.all([teams.show(), people.show()]), {
  nav: "admin",
});
views.add("closures", byId("closures-view"), () => closures.show(), { nav: "admin" });
// A task opens over whichever view is shown; a view's address shows it.
const view = (name, enter) => (match) => {
  taskDialog.close();
  views.show(name);
  if (enter) enter(match);
};
// The admin pages: for admins only (the server refuses the others' changes).
const admin = (name) => (match) => {
  if (store.isAdmin) return view(name)(match);
  toast("Only admins can open that page.", true);
  location.hash = "";
  return undefined;
};
router.add(/^#task\/(\d+)$/, (match) => taskDialog.show(Number(match[1])), { over: true });
router.add(/^#deadlines$/, view("deadlines"));
router.add(/^#clients$/, view("clients"));
router.add(/^#queue$/, view("queue"));
router.add(/^#client\/(\d+)$/, view("case", (match) => caseView.show("client", Number(match[1]))));
router.add(/^#visa\/(\d+)$/, view("case", (match) => caseView.show("visa", Number(match[1]))));
router.add(/^#admin(\/templates)?$/, admin("templates"));
router.add(/^#admin\/teams$/, admin("teams"));
router.add(/^#admin\/closures$/, admin("closures"));
router.onNone(() => {
  taskDialog.close();
  views.show("inbox");
});
for (const button of document.querySelectorAll("[data-close]")) {
  button.addEventListener("click", () => button.closest("dialog").close());
}
const signin = new SignIn(session, { onSignedIn: () => inbox.start() });
const inbox = new Inbox({ store, session, stream, notifications, tasks, router, signin });
inbox.start();
