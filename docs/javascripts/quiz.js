/* Quizzes. hooks/quiz.py renders each quiz as plain HTML (answers in <details>) with
   its data as JSON; this widget (data-widget="quiz", mounted by widgets.js)
   replaces that HTML with the interactive quiz. The review deck's scheduling is
   lib/leitner.js. Quiz text is set with textContent only. Progress lives in
   localStorage under KEY + page; when storage is full, blocked or corrupted the
   quiz works unsaved. */
(() => {
  "use strict";

  const KEY = "lr-quiz:v1:"; // bump the version when the saved shape changes
  const leitner = globalThis.LR.leitner;
  const obj = leitner.asObject;
  const load = (name) => {
    try {
      return obj(JSON.parse(localStorage.getItem(KEY + name)));
    } catch {
      return {};
    }
  };
  const save = (name, value) => {
    try {
      localStorage.setItem(KEY + name, JSON.stringify(value));
    } catch {
      /* full or blocked: carry on without saving */
    }
  };
  const forget = (name) => {
    try {
      localStorage.removeItem(KEY + name);
    } catch {
      /* nothing saved, nothing to forget */
    }
  };

  let uid = 0;
  const newId = () => `quiz-${++uid}`;

  /* An element; strings among `kids` become text nodes, never HTML. */
  const h = (tag, attrs = {}, ...kids) => {
    const e = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value == null) continue;
      if (name === "text") e.textContent = value;
      else if (name.startsWith("on")) e.addEventListener(name.slice(2), value);
      else e.setAttribute(name, value === true ? "" : String(value));
    }
    e.append(...kids);
    return e;
  };
  const button = (text, attrs = {}) =>
    h("button", { type: "button", class: "quiz-button", ...attrs, text });
  const level = (name) =>
    h("span", { class: `quiz-level quiz-level--${name}`, text: name });

  /* A button that shows and hides `target`; `saved[key]` remembers it. */
  const toggler = (labels, target, saved, key, persist) => {
    target.id = newId();
    target.hidden = true;
    const b = button(labels[0], { "aria-expanded": "false", "aria-controls": target.id });
    const set = (open) => {
      target.hidden = !open;
      b.setAttribute("aria-expanded", String(open));
      b.textContent = labels[open ? 1 : 0];
      saved[key] = open || undefined;
    };
    b.addEventListener("click", () => {
      set(target.hidden);
      persist();
    });
    set(saved[key] === true);
    return b;
  };

  function flashcard(card, saved, persist) {
    const answer = h("div", { class: "quiz-answer" }, h("p", { text: card.answer }));
    const show = toggler(["Show answer", "Hide answer"], answer, saved, card.id, persist);
    return h(
      "div",
      { class: "quiz-card" },
      h("p", { class: "quiz-question" }, level(card.level), " ", card.question),
      show,
      answer,
    );
  }

  /* A curve-reading drill's figure ({light, dark, alt, width, height}, paths from
     the page), light and dark like the page's figures; null if there is none. */
  const drillFigure = (figure) => {
    const f = obj(figure);
    if (typeof f.light !== "string" || typeof f.dark !== "string") return null;
    const img = (scheme) =>
      h("img", { src: `${f[scheme]}#only-${scheme}`, alt: f.alt, width: f.width, height: f.height, loading: "lazy" });
    return h("div", { class: "quiz-figure" }, img("light"), img("dark"));
  };

  /* A wrong pick shows only that option's feedback, with "Try again" and "Show
     answer"; the explanation comes with the right answer or with "Show answer". */
  function choice(question, number, saved, persist, changed) {
    const s = (saved[question.id] = obj(saved[question.id]));
    const qid = newId();
    const feedback = h("div", { class: "quiz-feedback", role: "status", tabindex: -1 });
    const options = leitner.shuffle(question.options.map((_, i) => i)).map((i) =>
      button(question.options[i], { class: "quiz-button quiz-option", "data-option": i, onclick: () => pick(i) }),
    );
    const retry = button("Try again", {
      class: "quiz-button quiz-retry",
      onclick: () => {
        delete s.picked;
        persist();
        show();
        options[0].focus();
      },
    });
    const reveal = button("Show answer", {
      class: "quiz-button quiz-reveal",
      onclick: () => {
        s.revealed = true;
        persist();
        show();
        feedback.focus();
      },
    });
    const pick = (i) => {
      if (typeof s.first !== "boolean") s.first = i === question.answer;
      s.picked = i;
      persist();
      show();
      (i === question.answer ? feedback : retry).focus();
    };
    const show = () => {
      const p = s.picked;
      const picked = Number.isInteger(p) && p >= 0 && p < question.options.length;
      const right = picked && p === question.answer;
      const revealed = picked && s.revealed === true;
      for (const b of options) {
        const i = Number(b.dataset.option);
        b.disabled = picked;
        b.setAttribute("aria-pressed", String(picked && i === p));
        b.classList.toggle("is-right", (right || revealed) && i === question.answer);
        b.classList.toggle("is-wrong", picked && i === p && !right);
      }
      feedback.replaceChildren();
      retry.hidden = reveal.hidden = !picked || right || revealed;
      if (picked) {
        feedback.append(
          h("p", { class: right ? "quiz-right" : "quiz-wrong" },
            h("strong", { text: right ? "✓ Correct" : "✗ Incorrect" })),
        );
        if (Array.isArray(question.feedback) && question.feedback[p]) {
          feedback.append(h("p", { text: question.feedback[p] }));
        }
        if (revealed) {
          feedback.append(h("p", {}, h("strong", { text: "The answer: " }), question.options[question.answer]));
        }
        if (right || revealed) feedback.append(h("p", { text: question.explanation }));
      }
      changed();
    };
    const item = h(
      "div",
      { class: "quiz-choice" },
      drillFigure(question.figure) ?? "",
      h("p", { class: "quiz-question", id: qid, text: `${number}. ${question.question}` }),
      h("div", { class: "quiz-options", role: "group", "aria-labelledby": qid }, ...options),
      feedback,
      h("div", { class: "quiz-actions" }, retry, reveal),
    );
    show();
    return item;
  }

  function explain(x, saved, persist) {
    const s = (saved[x.id] = obj(saved[x.id]));
    const text = h("textarea", {
      id: newId(),
      class: "quiz-text",
      rows: 4,
      placeholder: "Your answer, in your own words",
    });
    text.value = typeof s.text === "string" ? s.text : "";
    text.addEventListener("input", () => {
      s.text = text.value;
      persist();
    });
    const hint = h("p", { class: "quiz-hint" }, h("strong", { text: "Hint: " }), x.hint);
    const ticked = new Set(
      (Array.isArray(s.checked) ? s.checked : []).filter(
        (i) => Number.isInteger(i) && i >= 0 && i < x.concepts.length,
      ),
    );
    const tally = h("p", { class: "quiz-tally", role: "status" });
    const count = () => {
      tally.textContent = `You got ${ticked.size}/${x.concepts.length} concepts.`;
    };
    const boxes = x.concepts.map((concept, i) => {
      const box = h("input", { type: "checkbox" });
      box.checked = ticked.has(i);
      box.addEventListener("change", () => {
        box.checked ? ticked.add(i) : ticked.delete(i);
        s.checked = [...ticked].sort((a, b) => a - b);
        persist();
        count();
      });
      return h("li", {}, h("label", {}, box, h("span", { text: concept })));
    });
    const concepts = h(
      "fieldset",
      { class: "quiz-concepts" },
      h("legend", { text: "A good answer covers these. Tick the ones yours does:" }),
      h("ul", {}, ...boxes),
      tally,
    );
    count();
    return h(
      "div",
      { class: "quiz-explain" },
      h("label", { class: "quiz-question", for: text.id, text: x.prompt }),
      text,
      h(
        "div",
        { class: "quiz-actions" },
        toggler(["Show hint", "Hide hint"], hint, s, "hint", persist),
        toggler(["Check my answer", "Hide the concepts"], concepts, s, "open", persist),
      ),
      hint,
      concepts,
    );
  }

  function pageQuiz(slug, data) {
    let state;
    const persist = () => save(slug, state);
    const score = h("p", { class: "quiz-score" });
    const scored = () => {
      const all = data.choices || [];
      const saved = obj(state.choices);
      const right = all.filter((question) => obj(saved[question.id]).picked === question.answer).length;
      const first = all.filter((question) => obj(saved[question.id]).first === true).length;
      score.textContent = `Score: ${right}/${all.length} correct, ${first}/${all.length} on the first try.`;
      score.hidden = all.length === 0;
    };
    const sections = () => {
      state = load(slug);
      const part = (key) => (state[key] = obj(state[key]));
      const cards = part("cards");
      const choices = part("choices");
      const prompts = part("explain");
      const out = [];
      const section = (title, items) =>
        out.push(h("section", { class: "quiz-section" }, h("h3", { text: title }), ...items));
      if (data.flashcards) section("Flashcards", data.flashcards.map((card) => flashcard(card, cards, persist)));
      if (data.choices) {
        section("Multiple choice", data.choices.map((question, i) => choice(question, i + 1, choices, persist, scored)));
      }
      if (data.explain) section("Explain it", data.explain.map((x) => explain(x, prompts, persist)));
      scored();
      return out;
    };
    const body = h("div", { class: "quiz-body" }, ...sections());
    const said = h("span", { class: "quiz-said", role: "status" });
    const reset = button("Reset this quiz", {
      class: "quiz-button quiz-reset",
      onclick: () => {
        forget(slug);
        body.replaceChildren(...sections());
        said.textContent = "Your answers on this page were cleared.";
      },
    });
    return h("div", { class: "quiz-ui" }, body, h("div", { class: "quiz-footer" }, score, reset, said));
  }

  /* ------------------------------------------------------------ review deck */

  function review(data) {
    const deck = new Map((data.cards || []).map((card) => [card.key, card]));
    const keys = [...deck.keys()];
    let state;
    const persist = () => save("review", state);
    const restore = () => {
      const saved = load("review");
      const fresh = !Array.isArray(saved.queue); // restore() starts a session
      state = leitner.restore(saved, keys);
      if (fresh) persist();
    };
    const start = (session) => {
      leitner.startSession(state, keys, session);
      persist();
    };

    const counts = h("ol", { class: "quiz-boxes", "aria-label": "Cards per box" });
    const status = h("p", { class: "quiz-progress", role: "status" });
    const stage = h("div", { class: "quiz-stage" });
    const every = (b) => (b === 1 ? "every session" : `every ${2 ** (b - 1)} sessions`);

    const drawBoxes = (current) => {
      counts.replaceChildren(
        ...leitner.boxCounts(state, keys).map((count, i) => {
          const li = h(
            "li",
            { class: i + 1 === current ? "is-current" : null },
            h("span", { class: "quiz-box-name", text: `Box ${i + 1}` }),
            h("span", { class: "quiz-box-count", text: `${count} card${count === 1 ? "" : "s"}` }),
            h("span", { class: "quiz-box-every", text: every(i + 1) }),
          );
          li.style.setProperty("--fill", String(deck.size ? count / deck.size : 0));
          return li;
        }),
      );
    };

    const grade = (key, knew) => {
      leitner.grade(state, key, knew);
      persist();
      draw(true);
    };

    const draw = (focus) => {
      const key = state.queue[0];
      drawBoxes(key ? leitner.boxOf(state, key) : 0);
      if (!deck.size) {
        status.textContent = "No flashcards yet.";
        stage.replaceChildren();
        return;
      }
      if (!key) {
        const next = leitner.nextSession(state, keys);
        const { known = 0, again = 0 } = state.tally;
        status.textContent = `Session ${state.session} done: ${known} known, ${again} not yet.`;
        const cards = Math.min(leitner.dueCards(state, keys, next).length, leitner.SESSION_MAX);
        const go = button(`Start session ${next} (${cards} cards)`, {
          class: "quiz-button quiz-primary",
          onclick: () => {
            start(next);
            draw(true);
          },
        });
        stage.replaceChildren(
          h("p", { text: "Cards you knew moved up a box and come back later; the others stay in box 1 and come back next session." }),
          go,
        );
        if (focus) go.focus();
        return;
      }
      const card = deck.get(key);
      const left = state.queue.length;
      status.textContent = `Session ${state.session}: ${left} card${left === 1 ? "" : "s"} to go. This card is in box ${leitner.boxOf(state, key)}.`;
      const answer = h("div", { class: "quiz-answer" }, h("p", { text: card.answer }));
      const knew = button("I knew it", { class: "quiz-button quiz-primary", onclick: () => grade(key, true) });
      const notYet = button("Not yet", { onclick: () => grade(key, false) });
      const grades = h("div", { class: "quiz-actions", hidden: true }, knew, notYet);
      const reveal = button("Show answer", {
        class: "quiz-button quiz-primary",
        "aria-expanded": "false",
        onclick: () => {
          answer.hidden = false;
          grades.hidden = false;
          reveal.setAttribute("aria-expanded", "true");
          reveal.hidden = true;
          knew.focus();
        },
      });
      answer.hidden = true;
      answer.id = newId();
      reveal.setAttribute("aria-controls", answer.id);
      const from = card.url ? h("a", { href: card.url, text: card.page }) : h("span", { text: card.page });
      stage.replaceChildren(
        h(
          "div",
          { class: "quiz-card" },
          h("p", { class: "quiz-from" }, level(card.level), " from ", from),
          h("p", { class: "quiz-question", text: card.question }),
          answer,
          reveal,
          grades,
        ),
      );
      if (focus) reveal.focus();
    };

    restore();
    const reset = button("Reset the review", {
      class: "quiz-button quiz-reset",
      onclick: () => {
        forget("review");
        restore();
        draw(false);
        status.textContent = "Review reset: every card is back in box 1. " + status.textContent;
      },
    });
    draw(false);
    return h(
      "div",
      { class: "quiz-ui" },
      counts,
      status,
      stage,
      h("div", { class: "quiz-footer" }, reset),
    );
  }

  /* ------------------------------------------------------------ mounting */

  /* data-widget="quiz": a page's quiz, or the review deck (data-quiz="review"). */
  function mountQuiz(root) {
    let data;
    try {
      data = obj(JSON.parse(root.dataset.items));
    } catch {
      return; // keep the HTML that works without JavaScript
    }
    const slug = root.dataset.quiz;
    const ui = slug === "review" ? review(data) : pageQuiz(slug, data);
    root.querySelector(":scope > .quiz-static")?.replaceWith(ui);
  }

  (globalThis.LR.widgets ||= {}).quiz = mountQuiz;
})();
