import assert from "node:assert/strict";
import { test } from "node:test";

import { renewalDelay, tokenUser } from "../../leopard/static/session.js";
import { Store } from "../../leopard/static/store.js";

const token = (claims) =>
  `x.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

test("the user a token names is read from its sub", () => {
  assert.equal(tokenUser(token({ sub: "42", token_type: "access" })), 42);
  assert.equal(tokenUser(token({ user_id: 3 })), null);
  assert.equal(tokenUser("not a token"), null);
  // base64url's - and _ are read as base64's + and /.
  assert.equal(tokenUser(token({ sub: "7", pad: "??>>" })), 7);
});

test("a token is renewed a fifth of its life early, at most a minute", () => {
  const now = 1_000_000;
  assert.equal(renewalDelay(now + 3600_000, 0, now), 3600_000 - 60_000);
  assert.equal(renewalDelay(now + 100_000, 0, now), 80_000);
  assert.equal(renewalDelay(now + 10_000, 5000, now), 5000);
  assert.equal(renewalDelay(now - 1000, 0, now), 500);
});

test("the store tells of sign-in, unread and sign-out, and orders the pickers", () => {
  const store = new Store();
  const heard = [];
  for (const name of ["signed-in", "unread", "signed-out"]) {
    store.on(name, (detail) => heard.push([name, detail]));
  }
  const me = { id: 2, username: "tom", full_name: "Tom" };
  store.signIn(me, [
    { id: 3, username: "zoe", full_name: "Zoe" },
    { id: 1, username: "ann", full_name: "" },
  ]);
  assert.deepEqual(
    store.userChoices(true).map((c) => c.label),
    ["Nobody yet", "Me (Tom)", "@ann", "Zoe (@zoe)"],
  );
  store.setUnread(-3);
  store.saw(9);
  store.saw(4);
  assert.equal(store.lastEventId, 9);
  store.signOut();
  assert.deepEqual(heard, [["signed-in", me], ["unread", 0], ["signed-out", undefined]]);
  assert.deepEqual([store.me, store.lastEventId], [null, 0]);
});
