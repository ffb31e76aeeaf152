// What a task's dialog reads besides the task: its comments, and the
// client, visa application and documents it is about.
import { api, SessionEnded } from "./api.js";

/** The latest 200 comments of a task, oldest first. */
export async function fetchComments(taskId) {
  let page = await api("GET", `/tasks/${taskId}/comments/?limit=200`);
  if (page.count > page.results.length) {
    const offset = page.count - 200;
    page = await api("GET", `/tasks/${taskId}/comments/?limit=200&offset=${offset}`);
  }
  return page.results;
}

/** The client and visa application a task is about. */
export async function loadRefs(task) {
  const get = (id, path) =>
    id === null
      ? null
      : api("GET", `${path}${id}/`).catch((err) => {
          if (err instanceof SessionEnded) throw err;
          return null; // deleted meanwhile, say: the view names the id
        });
  const documents =
    task.client_id === null
      ? null
      : api("GET", `/documents/?client_id=${task.client_id}&limit=50`).catch((err) => {
          if (err instanceof SessionEnded) throw err;
          return null;
        });
  const [client, visa, docs] = await Promise.all([
    get(task.client_id, "/clients/"),
    get(task.visa_application_id, "/visa-applications/"),
    documents,
  ]);
  return { client, visa, documents: docs ? docs.results : [] };
}
