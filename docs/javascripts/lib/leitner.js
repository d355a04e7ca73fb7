/* Leitner review in days, without the page: which cards today's session asks, and
   when a card comes back. A card in box b comes back INTERVALS[b - 1] days after
   the reader last answered it; a known card moves up a box, a card not known goes
   back to box 1 (due tomorrow) and comes again a few cards on. One session a day.
   Days are the reader's local calendar days, "YYYY-MM-DD"; no function here reads
   the clock: the page passes `today` (dayOf(new Date())). The state is plain JSON,
   saved by quiz.js in localStorage and in an exported file.
   LR.leitner in the browser, module.exports in Node (tests/js/leitner.test.js). */
(function () {
  "use strict";
  const BOXES = 5;
  const INTERVALS = [1, 3, 7, 16, 35]; // days, box 1 to box 5
  const SESSION_MAX = 15; // cards per session, lowest boxes first
  const AGAIN_AFTER = 3; // a card not known comes back this many cards on
  const VERSION = 2; // 1 counted sessions, not days
  const FORMAT = "lr-review-progress"; // an exported file says so

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

  /* ---- days */
  const pad = (n) => String(n).padStart(2, "0");
  const ymd = (date) => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const utc = (day) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
  const dayOf = (now) => `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const isDay = (value) =>
    typeof value === "string" && /^\d{4}-\d\d-\d\d$/.test(value) && ymd(new Date(utc(value))) === value;
  const addDays = (day, n) => ymd(new Date(utc(day) + n * 864e5));
  const daysBetween = (from, to) => Math.round((utc(to) - utc(from)) / 864e5);

  /* ---- cards: { box, due } once answered; a card never answered is new, due now */
  const cardOf = (state, key) => state.cards[key];
  const boxOf = (state, key) => cardOf(state, key)?.box ?? 1;
  const wasSeen = (state, key) => Boolean(cardOf(state, key));
  const dueOn = (state, key, today) => cardOf(state, key)?.due ?? today;
  const isDue = (state, key, today) => dueOn(state, key, today) <= today;
  const dueCards = (state, keys, today) => keys.filter((key) => isDue(state, key, today));
  const validBox = (box) => Number.isInteger(box) && box >= 1 && box <= BOXES;

  /* Today's session: the due cards seen before, lowest box first, then new ones;
     at most SESSION_MAX. Reviews come first, so a card known days ago comes back on
     its day, not after every new card of the deck has been shown once. */
  function startSession(state, keys, today, random) {
    const rank = (key) => (wasSeen(state, key) ? boxOf(state, key) : BOXES + 1);
    const due = shuffle(dueCards(state, keys, today), random);
    state.day = today;
    state.queue = due.sort((a, b) => rank(a) - rank(b)).slice(0, SESSION_MAX);
    state.missed = [];
    state.tally = { known: 0, again: 0 };
    return state;
  }

  /* The saved state made safe for the deck `keys` (anything malformed is dropped).
     Cards of keys not in the deck are kept: a card that comes back keeps its box.
     A state of version 1 (sessions) keeps its boxes, every card due today; one of
     another version (a newer site's) is not read. A new
     day starts a session. The fields always come in this order, so a state
     restored twice is the same JSON. */
  function restore(saved, keys, today, random) {
    saved = asObject(saved);
    const old = saved.version === undefined || saved.version === 1; // sessions
    if (!old && saved.version !== VERSION) saved = {}; // not ours to read: start anew
    const cards = {};
    for (const [key, card] of Object.entries(asObject(saved.cards))) {
      const { box, due } = asObject(card);
      if (validBox(box)) cards[key] = { box, due: !old && isDay(due) ? due : today };
    }
    const known = new Set(keys);
    const inDeck = (list) => (Array.isArray(list) ? list.filter((key) => known.has(key)) : []);
    const tally = asObject(saved.tally);
    const count = (n) => (Number.isInteger(n) && n >= 0 ? n : 0);
    const state = {
      version: VERSION,
      day: !old && isDay(saved.day) ? saved.day : null,
      cards,
      queue: inDeck(saved.queue),
      missed: inDeck(saved.missed),
      tally: { known: count(tally.known), again: count(tally.again) },
    };
    if (state.day !== today) startSession(state, keys, today, random);
    return state;
  }

  /* The reader answered a card of the session's queue. A card missed in this
     session stays in box 1, due tomorrow, even when known on its second try. */
  function grade(state, key, knew, today) {
    const at = state.queue.indexOf(key);
    if (at < 0) return state; // not a card of this session
    const missed = state.missed.includes(key);
    state.queue.splice(at, 1);
    if (!knew) {
      state.cards[key] = { box: 1, due: addDays(today, INTERVALS[0]) };
      if (!missed) {
        state.missed.push(key);
        state.tally.again += 1;
      }
      state.queue.splice(Math.min(AGAIN_AFTER, state.queue.length), 0, key);
    } else if (!missed) {
      const box = Math.min(BOXES, boxOf(state, key) + 1);
      state.cards[key] = { box, due: addDays(today, INTERVALS[box - 1]) };
      state.tally.known += 1;
    }
    return state;
  }

  /* The first day after `today` with cards due, and how many are due by then
     (cards due today that today's session left count for tomorrow). */
  function nextDue(state, keys, today) {
    const tomorrow = addDays(today, 1);
    const when = keys.map((key) => {
      const due = dueOn(state, key, today);
      return due > tomorrow ? due : tomorrow;
    });
    if (!when.length) return null;
    const day = when.reduce((a, b) => (b < a ? b : a));
    return { day, days: daysBetween(today, day), count: when.filter((d) => d <= day).length };
  }

  /* How many of the deck's cards are in each box, box 1 first. */
  function boxCounts(state, keys) {
    const counts = Array(BOXES).fill(0);
    for (const key of keys) counts[boxOf(state, key) - 1] += 1;
    return counts;
  }

  /* ---- export and import: a file holds the whole state */
  const exportState = (state, today) => ({ format: FORMAT, version: VERSION, exported: today, review: state });

  /* The state in an exported file's text, checked strictly: a file that is not
     JSON, not ours, or holds a malformed card throws an Error that says so, for
     the reader, and nothing is changed. */
  function importState(text, keys, today, random) {
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      throw new Error("This file is not JSON.");
    }
    if (asObject(file).format !== FORMAT) throw new Error("This file is not review progress from this site.");
    if (file.version !== VERSION) throw new Error(`This file has version ${file.version}; this page reads version ${VERSION}.`);
    const review = asObject(file.review);
    const isObject = asObject(review.cards) === review.cards;
    const cards = Object.entries(asObject(review.cards));
    const bad = cards.find(([, card]) => !validBox(asObject(card).box) || !isDay(card.due));
    if (!isObject || bad) throw new Error(`This file's progress is damaged${bad ? ` (at ${bad[0]})` : ""}.`);
    return restore({ ...review, version: VERSION }, keys, today, random);
  }

  const api = {
    BOXES, INTERVALS, SESSION_MAX, VERSION, FORMAT, asObject, shuffle,
    dayOf, isDay, addDays, daysBetween, boxOf, wasSeen, dueOn, isDue, dueCards,
    startSession, restore, grade, nextDue, boxCounts, exportState, importState,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.LR ||= {}).leitner = api;
})();
