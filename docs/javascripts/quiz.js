/* Quizzes. hooks/quiz.py renders each quiz as plain HTML (answers in <details>) with
   its data as JSON; this widget (data-widget="quiz", mounted by widgets.js)
   replaces that HTML with the interactive quiz. The review deck asks every
   question of the site with the same renderers; its schedule is lib/leitner.js.
   Quiz text is set as text only (its `inline code` as <code> elements).
   Progress lives in localStorage under KEY + page; when storage is full, blocked
   or corrupted the quiz works unsaved. */
(() => {
  "use strict";

  // Bump the version when a page's saved shape changes. The review's state carries
  // its own version, and lib/leitner.js restore() migrates it, boxes kept.
  const KEY = "lr-quiz:v1:";
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

  /* Quiz text with its `inline code` as <code>, as on a page (hooks/quiz.py splits
     the same way): strings stay text nodes. An odd number of backticks: all text. */
  const rich = (text) => {
    const parts = String(text).split("`");
    if (parts.length % 2 === 0) return [String(text)];
    return parts.map((part, i) => (i % 2 ? h("code", { text: part }) : part)).filter((part) => part !== "");
  };

  /* A curve-reading drill's figure ({light, dark, phone_light, phone_dark, alt,
     width, height, phone_width, phone_height}, paths from the page), light and
     dark, wide and for a phone, like the page's figures (hooks/figure_html.py);
     null if there is none. */
  const PHONE_MEDIA = "(max-width: 40em)";
  const drillFigure = (figure) => {
    const f = obj(figure);
    if (typeof f.light !== "string" || typeof f.dark !== "string") return null;
    const img = (scheme) =>
      h("img", { src: `${f[scheme]}#only-${scheme}`, alt: f.alt, width: f.width, height: f.height, loading: "lazy" });
    const picture = (scheme) => {
      const phone = f[`phone_${scheme}`];
      if (typeof phone !== "string") return img(scheme);
      const size = { width: f.phone_width, height: f.phone_height };
      return h("picture", {}, h("source", { media: PHONE_MEDIA, srcset: phone, ...size }), img(scheme));
    };
    return h("div", { class: "quiz-figure" }, picture("light"), picture("dark"));
  };

  function flashcard(card, saved, persist) {
    const answer = h("div", { class: "quiz-answer" }, h("p", {}, ...rich(card.answer)));
    const show = toggler(["Show answer", "Hide answer"], answer, saved, card.id, persist);
    return h(
      "div",
      { class: "quiz-card" },
      h("p", { class: "quiz-question" }, level(card.level), " ", ...rich(card.question)),
      show,
      answer,
    );
  }

  /* A wrong pick shows only that option's feedback, with "Try again" and "Show
     answer"; the explanation comes with the right answer or with "Show answer".
     `once` (the review): the first pick is the answer, a wrong one shows the right
     one, and `picked(right)` is called. */
  function choice(question, { number, saved, persist, changed = () => {}, once, picked }) {
    const s = (saved[question.id] = obj(saved[question.id]));
    const qid = newId();
    const feedback = h("div", { class: "quiz-feedback", role: "status", tabindex: -1 });
    const options = leitner.shuffle(question.options.map((_, i) => i)).map((i) =>
      h(
        "button",
        { type: "button", class: "quiz-button quiz-option", "data-option": i, onclick: () => pick(i) },
        ...rich(question.options[i]),
      ),
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
      if (once) s.revealed = true;
      persist();
      show();
      if (once) picked(i === question.answer);
      else (i === question.answer ? feedback : retry).focus();
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
          feedback.append(h("p", {}, ...rich(question.feedback[p])));
        }
        if (revealed && !right) {
          feedback.append(h("p", {}, h("strong", { text: "The answer: " }), ...rich(question.options[question.answer])));
        }
        if (right || revealed) feedback.append(h("p", {}, ...rich(question.explanation)));
      }
      changed();
    };
    const item = h(
      "div",
      { class: "quiz-choice" },
      drillFigure(question.figure) ?? "",
      h("p", { class: "quiz-question", id: qid }, number ? `${number}. ` : "", ...rich(question.question)),
      h("div", { class: "quiz-options", role: "group", "aria-labelledby": qid }, ...options),
      feedback,
      h("div", { class: "quiz-actions" }, retry, reveal),
    );
    show();
    return item;
  }

  /* `checked()` is called when the reader first opens the concepts (the review
     then asks whether they knew it). */
  function explain(x, saved, persist, checked = () => {}) {
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
    const hint = h("p", { class: "quiz-hint" }, h("strong", { text: "Hint: " }), ...rich(x.hint));
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
      return h("li", {}, h("label", {}, box, h("span", {}, ...rich(concept))));
    });
    const concepts = h(
      "fieldset",
      { class: "quiz-concepts" },
      h("legend", { text: "A good answer covers these. Tick the ones yours does:" }),
      h("ul", {}, ...boxes),
      tally,
    );
    count();
    const check = toggler(["Check my answer", "Hide the concepts"], concepts, s, "open", persist);
    check.addEventListener("click", () => checked());
    return h(
      "div",
      { class: "quiz-explain" },
      h("label", { class: "quiz-question", for: text.id }, ...rich(x.prompt)),
      text,
      h("div", { class: "quiz-actions" }, toggler(["Show hint", "Hide hint"], hint, s, "hint", persist), check),
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
        section(
          "Multiple choice",
          data.choices.map((question, i) =>
            choice(question, { number: i + 1, saved: choices, persist, changed: scored }),
          ),
        );
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

  /* The one place the review reads the clock (lib/leitner.js is given the day). */
  const today = () => leitner.dayOf(new Date());
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const every = (days) => (days === 1 ? "every day" : `every ${days} days`);
  const longDate = (day) =>
    new Date(`${day}T12:00`).toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });

  function review(data) {
    const deck = new Map((data.cards || []).map((card) => [card.key, card]));
    const keys = [...deck.keys()];
    let state;
    const persist = () => save("review", state);
    const restore = () => {
      state = leitner.restore(load("review"), keys, today());
      persist(); // a new day's session, or an old state in the new shape
    };

    const counts = h("ol", { class: "quiz-boxes", "aria-label": "Cards per box" });
    const status = h("p", { class: "quiz-progress", role: "status" });
    const stage = h("div", { class: "quiz-stage" });
    const said = h("span", { class: "quiz-said", role: "status" });

    const drawBoxes = (current) => {
      counts.replaceChildren(
        ...leitner.boxCounts(state, keys).map((count, i) => {
          const li = h(
            "li",
            i + 1 === current ? { class: "is-current", "aria-current": "true" } : {},
            h("span", { class: "quiz-box-name", text: `Box ${i + 1}` }),
            h("span", { class: "quiz-box-count", text: plural(count, "card") }),
            h("span", { class: "quiz-box-every", text: every(leitner.INTERVALS[i]) }),
          );
          li.style.setProperty("--fill", String(deck.size ? count / deck.size : 0));
          return li;
        }),
      );
    };

    /* No card left today: when the next ones are due. */
    const done = (focus) => {
      const { known, again } = state.tally;
      status.textContent =
        known + again ? `Today's session is done: ${known} known, ${again} not yet.` : "Nothing is due today.";
      const next = leitner.nextDue(state, keys, today());
      const when = h(
        "p",
        { class: "quiz-next", tabindex: -1 },
        "Next session on ",
        h("time", { datetime: next.day, text: longDate(next.day) }),
        `, in ${plural(next.days, "day")}: ${Math.min(next.count, leitner.SESSION_MAX)} of the ${plural(next.count, "card")} due by then.`,
      );
      stage.replaceChildren(
        when,
        h("p", {
          text: `One session a day, of up to ${leitner.SESSION_MAX} cards. Cards you knew moved up a box and come back later; the others are in box 1 and come back tomorrow.`,
        }),
      );
      if (focus) when.focus();
    };

    const draw = (focus) => {
      const key = state.queue[0];
      drawBoxes(key ? leitner.boxOf(state, key) : 0);
      if (!deck.size) {
        status.textContent = "No questions yet.";
        stage.replaceChildren();
        return;
      }
      if (!key) return done(focus);
      const card = deck.get(key);
      const left = state.queue.length;
      status.textContent = `Today's session: ${plural(left, "card")} to go. This card is in box ${leitner.boxOf(state, key)}.`;
      const grade = (knew) => {
        leitner.grade(state, key, knew, today());
        persist();
        draw(true);
      };
      const knew = button("I knew it", { class: "quiz-button quiz-primary", onclick: () => grade(true) });
      const grades = h("div", { class: "quiz-actions", hidden: true }, knew, button("Not yet", { onclick: () => grade(false) }));
      const from = card.url ? h("a", { href: card.url }, ...rich(card.page)) : h("span", {}, ...rich(card.page));
      const kind = { card: "Flashcard", choice: "Multiple choice", explain: "Explain it" }[card.kind] || "";
      const head = h("p", { class: "quiz-from" }, card.level ? level(card.level) : "", `${kind} from `, from);
      let body, first;
      if (card.kind === "choice") {
        // Answered as on its page; a right first pick counts as known.
        let right = false;
        const next = button("Next card", { class: "quiz-button quiz-primary", hidden: true, onclick: () => grade(right) });
        const picked = (isRight) => {
          right = isRight;
          next.hidden = false;
          next.focus();
        };
        const question = choice({ ...card, id: key }, { saved: {}, persist: () => {}, once: true, picked });
        body = [question, next];
        first = question.querySelector(".quiz-option");
      } else if (card.kind === "explain") {
        // Write or think, check against the concepts, then say whether you knew it.
        const prompt = explain({ ...card, id: key }, {}, () => {}, () => (grades.hidden = false));
        body = [prompt, grades];
        first = prompt.querySelector("textarea");
      } else {
        const answer = h("div", { class: "quiz-answer", id: newId(), hidden: true }, h("p", {}, ...rich(card.answer)));
        const question = h("p", { class: "quiz-question", id: newId() }, ...rich(card.question));
        const reveal = button("Show answer", {
          class: "quiz-button quiz-primary",
          "aria-describedby": question.id, // the focus lands here: say the question
          "aria-expanded": "false",
          "aria-controls": answer.id,
          onclick: () => {
            answer.hidden = grades.hidden = false;
            reveal.setAttribute("aria-expanded", "true");
            reveal.hidden = true;
            knew.focus();
          },
        });
        body = [question, answer, reveal, grades];
        first = reveal;
      }
      stage.replaceChildren(h("div", { class: "quiz-card", "data-kind": card.kind || "card", "data-key": key }, head, ...body));
      if (focus) first.focus();
    };

    /* Progress to a file and back: the whole state, checked before it replaces
       anything (lib/leitner.js importState). */
    const exportFile = () => {
      const text = JSON.stringify(leitner.exportState(state, today()), null, 1);
      const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      const name = `learning-rate-review-${today()}.json`;
      const link = h("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      said.textContent = `Progress exported to ${name}.`;
    };
    const picker = h("input", { type: "file", accept: ".json,application/json", hidden: true, class: "quiz-import" });
    picker.addEventListener("change", async () => {
      const file = picker.files[0];
      picker.value = "";
      if (!file) return;
      try {
        state = leitner.importState(await file.text(), keys, today());
      } catch (err) {
        said.textContent = `${file.name}: ${err.message} Your progress is unchanged.`;
        return;
      }
      persist();
      draw(false);
      said.textContent = `Progress imported from ${file.name}.`;
    });

    restore();
    const reset = button("Reset the review", {
      class: "quiz-button quiz-reset",
      onclick: () => {
        const before = load("review"); // one press must not lose weeks: it can be undone
        forget("review");
        restore();
        draw(false);
        const undo = button("Undo the reset", {
          onclick: () => {
            save("review", before);
            restore();
            draw(false);
            said.textContent = "Reset undone: your progress is back.";
            reset.focus();
          },
        });
        said.replaceChildren("Review reset: every card is back in box 1. ", undo);
      },
    });
    draw(false);
    return h(
      "div",
      { class: "quiz-ui" },
      counts,
      status,
      stage,
      h(
        "div",
        { class: "quiz-footer" },
        button("Export progress", { onclick: exportFile }),
        button("Import progress", { onclick: () => picker.click() }),
        picker,
        said,
        reset,
      ),
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
