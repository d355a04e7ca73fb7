// The review deck's Leitner schedule in days (docs/javascripts/lib/leitner.js).
// The clock is the `today` each test passes: no test waits for a real day.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const leitner = require("../../docs/javascripts/lib/leitner.js");

const keys = ["a", "b", "c", "d"];
const inOrder = () => 0.999; // shuffle leaves the list as it is
const DAY = "2026-03-27"; // a Friday; the clocks go forward in Europe on the 29th
const later = (n) => leitner.addDays(DAY, n);

/* Answer every card of today's session: known unless its key is in `missed`
   (missed ones are known on their second try). */
function session(state, today, missed = []) {
  while (state.queue.length) {
    const key = state.queue[0];
    leitner.grade(state, key, !missed.includes(key) || state.missed.includes(key), today);
  }
  return state;
}

test("days are local calendar days, and adding days crosses months and DST", () => {
  assert.equal(leitner.dayOf(new Date(2026, 0, 31, 23, 59)), "2026-01-31");
  assert.equal(leitner.dayOf(new Date(2026, 1, 1, 0, 1)), "2026-02-01");
  assert.equal(leitner.addDays("2026-01-31", 1), "2026-02-01");
  assert.equal(leitner.addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(leitner.addDays(DAY, 35), "2026-05-01");
  assert.equal(leitner.daysBetween(DAY, "2026-03-30"), 3);
  assert.equal(leitner.isDay("2026-02-30"), false);
  assert.equal(leitner.isDay("soon"), false);
});

test("a first visit starts today's session with every card, new cards in box 1", () => {
  const state = leitner.restore({}, keys, DAY, inOrder);
  assert.equal(state.day, DAY);
  assert.deepEqual([...state.queue].sort(), keys);
  assert.deepEqual(leitner.boxCounts(state, keys), [4, 0, 0, 0, 0]);
});

test("a known card moves up a box and comes back 1, 3, 7, 16, 35 days later", () => {
  assert.deepEqual(leitner.INTERVALS, [1, 3, 7, 16, 35]);
  const state = leitner.restore({}, ["a"], DAY, inOrder);
  let today = DAY;
  for (const [box, wait] of [[2, 3], [3, 7], [4, 16], [5, 35], [5, 35]]) {
    leitner.grade(state, "a", true, today);
    assert.equal(leitner.boxOf(state, "a"), box);
    assert.equal(leitner.isDue(state, "a", leitner.addDays(today, wait - 1)), false);
    today = leitner.addDays(today, wait);
    assert.equal(leitner.isDue(state, "a", today), true);
    leitner.startSession(state, ["a"], today, inOrder);
    assert.deepEqual(state.queue, ["a"]);
  }
});

test("a card not known goes back to box 1, comes again a few cards on, and tomorrow", () => {
  const saved = { version: 2, cards: { a: { box: 1, due: DAY } } };
  const state = leitner.restore(saved, keys, DAY, inOrder);
  const first = state.queue[0];
  assert.equal(first, "a"); // seen cards before new ones
  leitner.grade(state, first, false, DAY);
  assert.equal(leitner.boxOf(state, first), 1);
  assert.equal(state.queue.indexOf(first), 3);
  assert.equal(state.tally.again, 1);
  session(state, DAY); // known on its second try: it still comes back tomorrow
  assert.equal(leitner.boxOf(state, "a"), 1);
  assert.equal(leitner.dueOn(state, "a", DAY), later(1));
  assert.deepEqual(state.tally, { known: 3, again: 1 });
});

test("one session a day: after it, nothing until the next day with cards due", () => {
  let state = session(leitner.restore({}, keys, DAY, inOrder), DAY, ["b"]);
  state = leitner.restore(JSON.parse(JSON.stringify(state)), keys, DAY, inOrder);
  assert.deepEqual(state.queue, []); // a reload the same day starts nothing
  assert.deepEqual(leitner.nextDue(state, keys, DAY), { day: later(1), days: 1, count: 1 });
  state = leitner.restore(state, keys, later(1), inOrder); // the clock moves a day
  assert.deepEqual(state.queue, ["b"]); // only the card missed
  session(state, later(1));
  assert.deepEqual(leitner.nextDue(state, keys, later(1)), { day: later(3), days: 2, count: 3 });
  assert.deepEqual(leitner.restore(state, keys, later(2), inOrder).queue, []);
  assert.deepEqual(leitner.restore(state, keys, later(3), inOrder).queue, ["a", "c", "d"]);
});

test("a day skipped: the cards due wait, seen ones first by box, then new ones", () => {
  const saved = {
    version: 2,
    day: DAY,
    cards: { a: { box: 3, due: later(2) }, b: { box: 1, due: later(1) }, c: { box: 2, due: later(5) } },
  };
  const state = leitner.restore(saved, keys, later(9), inOrder);
  assert.deepEqual(state.queue, ["b", "c", "a", "d"]);
});

test("reviews come before new cards: a card known days ago comes back on its day", () => {
  const many = Array.from({ length: 40 }, (_, i) => `card${i}`);
  const first = session(leitner.restore({}, many, DAY, inOrder), DAY);
  const known = Object.keys(first.cards); // 15 cards, now in box 2, due in 3 days
  let state = first;
  for (const day of [1, 2]) state = session(leitner.restore(state, many, later(day), inOrder), later(day));
  state = leitner.restore(state, many, later(3), inOrder);
  assert.deepEqual(state.queue, known); // before the 10 cards never shown yet
});

test("at most SESSION_MAX cards a session; the rest are due the next day", () => {
  const many = Array.from({ length: 40 }, (_, i) => `card${i}`);
  const state = session(leitner.restore({}, many, DAY), DAY);
  assert.equal(state.tally.known, leitner.SESSION_MAX);
  assert.deepEqual(leitner.nextDue(state, many, DAY), { day: later(1), days: 1, count: 40 - 15 });
});

test("a session-based state (version 1) keeps its boxes, every card due today", () => {
  const v1 = { session: 7, queue: ["c"], tally: { known: 2 }, cards: { a: { box: 4, last: 6 }, b: { box: 2, last: 7 } } };
  const state = leitner.restore(v1, keys, DAY, inOrder);
  assert.deepEqual(state.cards, { a: { box: 4, due: DAY }, b: { box: 2, due: DAY } });
  assert.deepEqual(state.queue, ["b", "a", "c", "d"]); // seen, lowest box first; new
  assert.equal(state.session, undefined);
});

test("a deck that lost a card and gained one: the others keep box and due date", () => {
  const state = session(leitner.restore({}, ["a", "b", "c"], DAY, inOrder), DAY, ["c"]);
  const before = JSON.parse(JSON.stringify(state.cards));
  const after = leitner.restore(state, ["a", "c", "new"], later(1), inOrder);
  for (const key of ["a", "c"]) assert.deepEqual(after.cards[key], before[key]);
  assert.deepEqual(after.cards.b, before.b); // kept, should the card come back
  assert.deepEqual(after.queue, ["c", "new"]);
  assert.deepEqual(leitner.boxCounts(after, ["a", "c", "new"]), [2, 1, 0, 0, 0]);
});

test("export then import gives the same state back", () => {
  const state = session(leitner.restore({}, keys, DAY, inOrder), DAY, ["a"]);
  const text = JSON.stringify(leitner.exportState(state, DAY));
  assert.deepEqual(leitner.importState(text, keys, DAY, inOrder), state);
  const tomorrow = leitner.importState(text, keys, later(1), inOrder);
  assert.deepEqual(tomorrow.cards, state.cards);
  assert.deepEqual(tomorrow.queue, ["a"]);
});

test("a corrupt or foreign file is refused with a reason", () => {
  const good = leitner.exportState(leitner.restore({}, keys, DAY), DAY);
  const refused = (text, reason) => assert.throws(() => leitner.importState(text, keys, DAY), { message: reason });
  refused("{not json", /not JSON/);
  refused(JSON.stringify({ cards: {} }), /not review progress/);
  refused(JSON.stringify([1, 2]), /not review progress/);
  refused(JSON.stringify({ ...good, version: 3 }), /version 3/);
  refused(JSON.stringify({ ...good, review: {} }), /damaged/);
  const damaged = { ...good, review: { cards: { a: { box: 9, due: DAY } } } };
  refused(JSON.stringify(damaged), /damaged \(at a\)/);
  damaged.review.cards.a = { box: 2, due: "tomorrow" };
  refused(JSON.stringify(damaged), /damaged/);
  for (const cards of ["x", 1, true, [], null]) refused(JSON.stringify({ ...good, review: { cards } }), /damaged/);
});

test("an imported file's due dates are kept, whatever version its state says", () => {
  const state = session(leitner.restore({}, keys, DAY, inOrder), DAY);
  const file = leitner.exportState(state, DAY);
  delete file.review.version; // a file edited by hand
  const imported = leitner.importState(JSON.stringify(file), keys, DAY, inOrder);
  assert.deepEqual(imported.cards, state.cards);
  assert.notEqual(imported.cards.a.due, DAY);
});

test("a state of a newer version is not misread as an old one", () => {
  const newer = { version: leitner.VERSION + 1, cards: { a: { box: 5, due: DAY } } };
  assert.deepEqual(leitner.restore(newer, keys, DAY, inOrder).cards, {});
});

test("grading a card removes that card from the queue, not whichever is first", () => {
  const state = leitner.restore({}, keys, DAY, inOrder);
  const [first, second] = state.queue;
  leitner.grade(state, second, true, DAY);
  assert.equal(state.queue[0], first);
  assert.ok(!state.queue.includes(second));
  leitner.grade(state, "not-in-the-session", true, DAY);
  assert.equal(state.queue.length, keys.length - 1);
});

test("malformed saved state is dropped, not trusted", () => {
  const saved = { version: 2, day: DAY, queue: ["gone", "a"], missed: "x", cards: { a: { box: 99 }, b: 3 }, tally: [] };
  const state = leitner.restore(saved, keys, DAY);
  assert.deepEqual(state.queue, ["a"]);
  assert.deepEqual(state.cards, {});
  assert.deepEqual(state.missed, []);
  assert.deepEqual(state.tally, { known: 0, again: 0 });
});
