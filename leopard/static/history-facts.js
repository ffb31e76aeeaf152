// A case's history as the timeline tells it: each change with the
// notifications it caused, and each notification with what became of it
// (delivered, read, emailed). Pure: the entries are GET …/history/'s.
//
// A "notified" entry's facts have the ids after it (delivered +1, read +2,
// emailed +3, for the same subject and recipient); a change and the
// notifications it caused were written in one transaction, so they share
// their subject and their moment.

const STEP = { delivered: 1, read: 2, emailed: 3 };

export const isFact = (entry) => entry.action in STEP;

/** The API's order: by time, then id. */
export const byTime = (a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id;

/** Entries from several pages as one list in the API's order (by time, then
 * id), each once. */
export function mergeEntries(...lists) {
  const byId = new Map();
  for (const list of lists) for (const entry of list) byId.set(entry.id, entry);
  return [...byId.values()].sort(byTime);
}

/** The timeline's items, newest first: [{entry, receipts}], where a receipt
 * is {id, recipientId, at, delivered, read, emailed} (moments or null).
 * A notification joins the change that caused it; one caused by no change
 * shown (a reminder, an escalation) is an item of its own, and so is a fact
 * whose notification is not among the entries (on a page not loaded yet, or a
 * second read after an "unread"). `entries` in the API's order. */
export function groupFacts(entries) {
  const items = [];
  const told = new Map(); // notified entry id → {subject, receipt}
  const causes = new Map(); // "subject at" → the item of the change written then
  for (const entry of entries) {
    if (entry.action === "notified") {
      const receipt = {
        id: entry.id,
        recipientId: entry.recipient_id,
        at: entry.at,
        delivered: null,
        read: null,
        emailed: null,
      };
      told.set(entry.id, { subject: entry.subject, receipt });
      const cause = causes.get(`${entry.subject} ${entry.at}`);
      if (cause) cause.receipts.push(receipt);
      else items.push({ entry, receipts: [receipt] });
    } else if (isFact(entry)) {
      const own = told.get(entry.id - STEP[entry.action]);
      if (own && own.subject === entry.subject && own.receipt.recipientId === entry.recipient_id) {
        own.receipt[entry.action] = entry.at;
      } else {
        items.push({ entry, receipts: [] });
      }
    } else {
      const item = { entry, receipts: [] };
      causes.set(`${entry.subject} ${entry.at}`, item);
      items.push(item);
    }
  }
  return items.reverse();
}
