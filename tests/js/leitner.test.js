// The review deck's Leitner scheduling (docs/javascripts/lib/leitner.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const leitner = require("../../docs/javascripts/lib/leitner.js");

const keys = ["a", "b", "c", "d"];
const inOrder = () => 0.999; // shuffle leaves the list as it is

test("a first visit starts session 1 with every card, new cards in box 1", () => {
  const state = leitner.restore({}, keys, inOrder);
  assert.equal(state.session, 1);
  assert.deepEqual(state.queue.sort(), keys);
  assert.deepEqual(leitner.boxCounts(state, keys), [4, 0, 0, 0, 0]);
});

test("a known card moves up a box and comes back after 2^(box-1) sessions", () => {
  const state = leitner.restore({}, keys, inOrder);
  leitner.grade(state, state.queue[0], true);
  const key = Object.keys(state.cards)[0];
  assert.equal(leitner.boxOf(state, key), 2);
  assert.equal(leitner.isDue(state, key, 2), false);
  assert.equal(leitner.isDue(state, key, 3), true);
});

test("a card not known goes back to box 1 and comes again a few cards on", () => {
  const state = leitner.restore({ cards: { a: { box: 4, last: -8 } } }, keys, inOrder);
  const first = state.queue[0];
  leitner.grade(state, first, false);
  assert.equal(leitner.boxOf(state, first), 1);
  assert.equal(state.queue.indexOf(first), 3);
  assert.equal(state.tally.again, 1);
});

test("a session asks the lowest boxes first, seen cards before new ones", () => {
  const saved = { session: 9, cards: { a: { box: 3, last: 1 }, b: { box: 1, last: 8 }, c: { box: 2, last: 1 } } };
  const state = leitner.startSession(leitner.restore(saved, keys), keys, 9, inOrder);
  assert.deepEqual(state.queue, ["b", "d", "c", "a"]);
});

test("at most SESSION_MAX cards a session", () => {
  const many = Array.from({ length: 40 }, (_, i) => `card${i}`);
  const state = leitner.restore({}, many);
  assert.equal(state.queue.length, leitner.SESSION_MAX);
});

test("the next session skips sessions with nothing due", () => {
  const cards = Object.fromEntries(keys.map((key) => [key, { box: 5, last: 1 }]));
  const state = leitner.restore({ session: 1, queue: [], cards }, keys);
  assert.equal(leitner.nextSession(state, keys), 17);
});

test("malformed saved state is dropped, not trusted", () => {
  const state = leitner.restore({ session: -3, queue: ["gone", "a"], cards: { a: { box: 99 } }, tally: [] }, keys);
  assert.equal(state.session, 1);
  assert.deepEqual(state.queue, ["a"]);
  assert.equal(leitner.boxOf(state, "a"), 1);
  assert.deepEqual(state.tally, {});
});
