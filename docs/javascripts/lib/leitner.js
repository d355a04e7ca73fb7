/* Leitner review, without the page: which cards a session asks, and where a card
   goes when the reader knew it or not. A card in box b comes back every 2^(b-1)
   sessions; a card the reader did not know goes back to box 1 and comes again a
   few cards on. The state is plain JSON, saved by quiz.js in localStorage.
   LR.leitner in the browser, module.exports in Node (tests/js/leitner.test.js). */
(function () {
  "use strict";
  const BOXES = 5;
  const SESSION_MAX = 15; // cards per session, lowest boxes first
  const AGAIN_AFTER = 3; // a card not known comes back this many cards on

  const asObject = (value) =>
    value && typeof value === "object" && !Array.isArray(value) ? value : {};

  function shuffle(list, random = Math.random) {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  const boxOf = (state, key) => {
    const box = asObject(state.cards[key]).box;
    return Number.isInteger(box) && box >= 1 && box <= BOXES ? box : 1;
  };
  const wasSeen = (state, key) => Number.isInteger(asObject(state.cards[key]).last);
  const isDue = (state, key, session) =>
    !wasSeen(state, key) || session - state.cards[key].last >= 2 ** (boxOf(state, key) - 1);
  const dueCards = (state, keys, session) => keys.filter((key) => isDue(state, key, session));

  /* Session `session` begins: its queue is the due cards, lowest box first and, in
     a box, cards seen before new ones. */
  function startSession(state, keys, session, random) {
    const rank = (key) => boxOf(state, key) * 2 + (wasSeen(state, key) ? 0 : 1);
    const due = shuffle(dueCards(state, keys, session), random);
    state.session = session;
    state.queue = due.sort((a, b) => rank(a) - rank(b)).slice(0, SESSION_MAX);
    state.tally = { known: 0, again: 0 };
    return state;
  }

  /* The saved state made safe (anything malformed is dropped) for the deck `keys`;
     a first visit starts session 1. */
  function restore(saved, keys, random) {
    const state = asObject(saved);
    state.cards = asObject(state.cards);
    if (!Number.isInteger(state.session) || state.session < 1) state.session = 1;
    const known = new Set(keys);
    state.queue = Array.isArray(state.queue) ? state.queue.filter((key) => known.has(key)) : null;
    state.tally = asObject(state.tally);
    if (state.queue === null) startSession(state, keys, state.session, random);
    return state;
  }

  /* The first later session with a card due (sessions with none are skipped). */
  function nextSession(state, keys) {
    for (let session = state.session + 1; session <= state.session + 2 ** (BOXES - 1); session++) {
      if (dueCards(state, keys, session).length) return session;
    }
    return state.session + 1;
  }

  /* The reader graded the card at the head of the queue. */
  function grade(state, key, knew) {
    const box = boxOf(state, key);
    state.cards[key] = { box: knew ? Math.min(BOXES, box + 1) : 1, last: state.session };
    state.queue.shift();
    if (knew) state.tally.known = (state.tally.known || 0) + 1;
    else {
      state.tally.again = (state.tally.again || 0) + 1;
      state.queue.splice(Math.min(AGAIN_AFTER, state.queue.length), 0, key);
    }
    return state;
  }

  /* How many of the deck's cards are in each box, box 1 first. */
  function boxCounts(state, keys) {
    const counts = Array(BOXES).fill(0);
    for (const key of keys) counts[boxOf(state, key) - 1] += 1;
    return counts;
  }

  const api = {
    BOXES, SESSION_MAX, asObject, shuffle, boxOf, wasSeen, isDue, dueCards,
    startSession, restore, nextSession, grade, boxCounts,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.LR ||= {}).leitner = api;
})();
