"""Quizzes: quiz files checked against quiz/schema.json and beyond, bad data stopping
the build with the file, the JSON path and what is wrong, HTML that is complete
without JavaScript and escapes everything, every marker resolving, every seed item
in the site."""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import cache
import markers
import quiz_data
import quiz_html
from support import ROOT, dirty_build, mkdocs_build

QUIZ_DIR = ROOT / "quiz"
# The "Recall & Review" page the quizzes grew from, kept here so a clone has it.
SEED = ROOT / "tests" / "data" / "seed.txt"
XSS = "<img src=x onerror=alert(1)>"

VALID = {
    "flashcards": [
        {"id": "card", "level": "beginner", "question": "Q?", "answer": "A."}
    ],
    "choices": [
        {
            "id": "pick",
            "question": "Which?",
            "options": ["right", "wrong", "also wrong", "still wrong"],
            "answer": 0,
            "explanation": "Because.",
            "feedback": ["Yes.", "No.", "Not that.", "Not that either."],
        }
    ],
    "explain": [
        {
            "id": "why",
            "prompt": "Explain.",
            "hint": "Think.",
            "concepts": ["one", "two", "three", "four"],
        }
    ],
}


def write_quiz(folder: Path, name: str, data: object) -> Path:
    """A quiz folder holding the project's schema and one quiz file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(QUIZ_DIR / "schema.json", folder / "schema.json")
    path = folder / f"{name}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def broken(change) -> dict:
    data = copy.deepcopy(VALID)
    change(data)
    return data


# ---------------------------------------------------------------- the data


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads((QUIZ_DIR / "schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_sample_quiz_used_below_is_valid(tmp_path):
    write_quiz(tmp_path, "page", VALID)
    assert quiz_data.load_all(tmp_path) == {"page": VALID}


def test_a_quiz_that_passed_is_not_checked_again_until_it_changes(
    tmp_path, monkeypatch
):
    """A warm build reads quiz files that passed before; a changed file, or one
    that failed, is checked again."""
    shutil.copy(QUIZ_DIR / "schema.json", tmp_path / "schema.json")
    write_quiz(tmp_path, "page", VALID)
    checked = []
    real_load_quiz = quiz_data.load_quiz

    def load_quiz(path, *args):
        checked.append(path.stem)
        return real_load_quiz(path, *args)

    monkeypatch.setattr(quiz_data, "load_quiz", load_quiz)
    passed = cache.Store(tmp_path / ".cache" / "quizzes.json")
    for _ in range(2):
        assert quiz_data.load_all(tmp_path, passed) == {"page": VALID}
    assert checked == ["page"]
    write_quiz(tmp_path, "page", broken(lambda d: d["flashcards"].pop()))
    for _ in range(2):  # a file that failed fails again: it was never marked passed
        with pytest.raises(quiz_data.QuizError):
            quiz_data.load_all(tmp_path, passed)
    assert checked == ["page"] * 3
    write_quiz(tmp_path, "page", VALID)  # passed before, under the same rules
    quiz_data.load_all(tmp_path, passed)
    assert checked == ["page"] * 3
    (tmp_path / "schema.json").write_text("{}")  # other rules: check it again
    quiz_data.load_all(tmp_path, passed)
    assert checked == ["page"] * 4


def test_every_quiz_file_of_the_site_is_valid():
    quizzes = quiz_data.load_all(QUIZ_DIR)  # raises QuizError on any problem
    assert quizzes, "no quiz files found"


def test_a_wrong_options_feedback_does_not_give_the_answer_away():
    """After a wrong pick the reader sees only that option's line, and may try again."""
    for slug, data in quiz_data.load_all(QUIZ_DIR).items():
        for item in data.get("choices", []):
            right = item["options"][item["answer"]]
            for n, line in enumerate(item["feedback"]):
                if n != item["answer"]:
                    where = f"{slug}: {item['id']}: feedback[{n}]"
                    assert right not in line, where
                    assert item["explanation"] not in line, where


BAD_DATA = {
    "wrong type": (
        broken(lambda d: d["choices"][0].update(answer="0")),
        "$.choices[0].answer: '0' is not of type 'integer'",
    ),
    "missing field": (
        broken(lambda d: d["choices"][0].pop("explanation")),
        "$.choices[0]: 'explanation' is a required property",
    ),
    "answer out of range": (
        broken(lambda d: d["choices"][0].update(answer=4)),
        "$.choices[0].answer: 4 is out of range: 4 options, so 0 to 3",
    ),
    "negative answer": (
        broken(lambda d: d["choices"][0].update(answer=-1)),
        "$.choices[0].answer: -1 is less than the minimum of 0",
    ),
    "duplicate ids": (
        broken(lambda d: d["explain"][0].update(id="card")),
        "$.explain[0].id: duplicate id 'card' (first at $.flashcards[0].id)",
    ),
    "unknown level": (
        broken(lambda d: d["flashcards"][0].update(level="expert")),
        "$.flashcards[0].level: 'expert' is not one of",
    ),
    "three concepts": (
        broken(lambda d: d["explain"][0]["concepts"].pop()),
        "$.explain[0].concepts: ['one', 'two', 'three'] is too short",
    ),
    "misspelt field": (
        broken(lambda d: d["choices"][0].update(explanations="x")),
        "$.choices[0]: Additional properties are not allowed ('explanations'",
    ),
    "no feedback": (
        broken(lambda d: d["choices"][0].pop("feedback")),
        "$.choices[0]: 'feedback' is a required property",
    ),
    "feedback not one per option": (
        broken(lambda d: d["choices"][0].update(feedback=["a", "b"])),
        "$.choices[0].feedback: 2 lines for 4 options",
    ),
    "empty text": (
        broken(lambda d: d["flashcards"][0].update(answer=" ")),
        "$.flashcards[0].answer: ' ' does not match",
    ),
    "not JSON": ('{"flashcards": [}', "not JSON: Expecting value (line 1, column 17)"),
}


@pytest.mark.parametrize("case", BAD_DATA, ids=list(BAD_DATA))
def test_bad_quiz_data_names_the_file_the_json_path_and_the_problem(tmp_path, case):
    data, expected = BAD_DATA[case]
    write_quiz(tmp_path / "quiz", "too-high", VALID)  # a good file beside it
    write_quiz(tmp_path / "quiz", "bad", data)
    with pytest.raises(quiz_data.QuizError) as caught:
        quiz_data.load_all(tmp_path / "quiz")
    assert f"quiz/bad.json: {expected}" in str(caught.value)
    assert "too-high" not in str(caught.value)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    def two_problems(data):
        data["choices"][0]["answer"] = 9
        data["explain"][0]["id"] = "pick"

    write_quiz(tmp_path, "page", broken(two_problems))
    with pytest.raises(quiz_data.QuizError) as caught:
        quiz_data.load_all(tmp_path)
    message = str(caught.value)
    assert "quiz/page.json: $.choices[0].answer: 9 is out of range" in message
    assert "quiz/page.json: $.explain[0].id: duplicate id 'pick'" in message


def test_a_quiz_with_no_items_says_which_keys_it_needs(tmp_path):
    write_quiz(tmp_path, "page", {"$schema": "./schema.json"})
    with pytest.raises(quiz_data.QuizError) as caught:
        quiz_data.load_all(tmp_path)
    assert str(caught.value).endswith(
        "quiz/page.json: $: needs at least one of 'flashcards', 'choices', 'explain'"
    )


def test_a_quiz_file_named_like_the_review_deck_is_refused(tmp_path):
    write_quiz(tmp_path, "review", VALID)
    with pytest.raises(quiz_data.QuizError, match=r"quiz/review\.json: bad file name"):
        quiz_data.load_all(tmp_path)


def test_nested_pages_have_their_quiz_in_a_folder(tmp_path):
    write_quiz(tmp_path, "unused", VALID).unlink()
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "steplr.json").write_text(json.dumps(VALID))
    assert list(quiz_data.load_all(tmp_path)) == ["reference/steplr"]


def test_a_marker_naming_a_missing_quiz_is_an_error_with_page_and_line():
    pages = {"too-high.md": "# Too high\n\n<!-- quiz: too-hihg -->\n"}
    with pytest.raises(quiz_data.QuizError) as caught:
        quiz_data.quiz_uses(pages, {"too-high": VALID})
    assert str(caught.value) == (
        "too-high.md: line 3: quiz 'too-hihg' does not exist "
        "(expected quiz/too-hihg.json)"
    )


def test_quiz_uses_maps_each_quiz_to_its_page_and_ignores_fenced_markers():
    pages = {
        "a.md": "<!-- quiz: a -->\n```\n<!-- quiz: missing -->\n```\n",
        "review.md": "<!-- quiz: review -->\n",
    }
    assert quiz_data.quiz_uses(pages, {"a": VALID}) == {
        "a": "a.md",
        "review": "review.md",
    }


# ---------------------------------------------------------------- the HTML


class _Text(HTMLParser):
    """Text of a fragment, split into what is inside <details> and what is not,
    every tag seen, and the quiz data for the script."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hidden: list[str] = []
        self.shown: list[str] = []
        self.tags: list[str] = []
        self.items: object = None  # the data-items attribute, parsed

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.depth += tag == "details"
        if "data-items" in dict(attrs):
            self.items = json.loads(dict(attrs)["data-items"])

    def handle_endtag(self, tag):
        self.depth -= tag == "details"

    def handle_data(self, data):
        if data.strip():
            (self.hidden if self.depth else self.shown).append(data.strip())


def parse(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def test_without_javascript_answers_explanations_and_concepts_are_in_details():
    data = broken(lambda d: d["choices"][0].update(answer=2, feedback=list("abcd")))
    page = parse(quiz_html.render_quiz("page", data))
    assert "Q?" in " ".join(page.shown) and "A." in page.hidden
    assert "Which?" in " ".join(page.shown)
    options = page.shown[page.shown.index("1. Which?") + 1 :][:4]
    assert options == ["right", "wrong", "also wrong", "still wrong"]
    assert "C. also wrong" in page.hidden and "Because." in page.hidden
    assert "Explain." in page.shown and "Think." in page.hidden
    assert {"one", "two", "three", "four"} <= set(page.hidden)
    assert not {"A.", "Because.", "Think.", "one"} & set(page.shown)


def test_the_data_for_the_script_is_the_quiz_itself_in_an_attribute():
    page = parse(quiz_html.render_quiz("page", VALID))
    assert page.items == VALID


def test_quiz_text_is_escaped_in_the_html_and_in_the_script_data():
    def everywhere(data):
        for item in data["flashcards"] + data["choices"] + data["explain"]:
            for key, value in item.items():
                if key in (
                    "question",
                    "answer",
                    "explanation",
                    "prompt",
                    "hint",
                ) and isinstance(value, str):
                    item[key] = f"{value} {XSS} </script><b>&amp;"
        data["choices"][0]["options"][1] = XSS
        data["choices"][0]["feedback"] = [XSS] * 4
        data["explain"][0]["concepts"][3] = XSS

    data = broken(everywhere)
    html = quiz_html.render_quiz("page", data)
    page = parse(html)
    assert "img" not in page.tags and "b" not in page.tags
    assert "<script" not in html  # instant navigation would run it as JavaScript
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert f"A. {XSS}" not in html and "&amp;amp;" in html
    assert XSS in page.shown and f"B: {XSS}" in page.hidden
    assert page.items == data


def test_review_deck_holds_every_question_in_nav_order_under_stable_keys():
    quizzes = {"b": VALID, "a": broken(lambda d: d["flashcards"][0].update(id="x"))}
    pages = {"b": ("Page B", "../b/"), "a": ("Page <A>", "../a/")}
    deck = quiz_html.review_deck(quizzes, pages, ["index.md", "b.md", "a.md"])
    # The key is the page and the item's id: rewording an item keeps its progress.
    assert [card["key"] for card in deck] == [
        *("b/card", "b/pick", "b/why"),
        *("a/x", "a/pick", "a/why"),
    ]
    assert [card["kind"] for card in deck] == ["card", "choice", "explain"] * 2
    assert deck[3] == {
        "key": "a/x",
        "kind": "card",
        "page": "Page <A>",
        "url": "../a/",
        "level": "beginner",
        "question": "Q?",
        "answer": "A.",
    }
    choice = {k: v for k, v in VALID["choices"][0].items() if k != "id"}
    assert (
        deck[4]
        == {"key": "a/pick", "kind": "choice"}
        | {
            "page": "Page <A>",
            "url": "../a/",
        }
        | choice
    )
    html = quiz_html.render_review(deck)
    assert "6 questions from 2 pages: 2 flashcards, 2 multiple-choice" in html
    assert '<li><a href="../b/">Page B</a> — 3 questions</li>' in html
    assert '<li><a href="../a/">Page &lt;A&gt;</a> — 3 questions</li>' in html
    assert parse(html).items == {"cards": deck}


def test_without_javascript_the_review_says_it_needs_it_and_lists_no_question():
    """The deck is in the data only: listed again for readers without JavaScript it
    made the page too heavy. They get what the deck holds and each page's quiz."""
    one = {"flashcards": VALID["flashcards"], "choices": VALID["choices"]}
    deck = quiz_html.review_deck({"b": VALID, "a": one}, {"a": ("A", "a/")}, ["a.md"])
    page = parse(quiz_html.render_review(deck))
    shown = " ".join(page.shown)
    assert (
        "5 questions from 2 pages: 2 flashcards, 2 multiple-choice questions" in shown
    )
    assert "needs JavaScript" in shown and "local storage" in shown
    # In nav order; a quiz with no page is named by its file, with no link.
    assert page.shown[-3:] == ["A", "— 2 questions", "b — 3 questions"]
    assert not {"Q?", "Which?", "right", "Explain."} & set(page.shown)
    assert "details" not in page.tags and page.tags.count("a") == 1


def test_a_questions_figure_in_the_review_points_at_its_files_from_there():
    site_paths = {"light": "assets/t/d-1.svg", "dark": "assets/t/d-1-dark.svg"}
    figure = site_paths | {"alt": "A curve", "width": 688, "height": 400}
    data = broken(lambda d: d["choices"][0].update(figure=figure))
    deck = quiz_html.review_deck({"t": data}, {"t": ("T", "../t/")}, [], "review/")
    assert deck[1]["figure"] == figure | {
        "light": "../assets/t/d-1.svg",
        "dark": "../assets/t/d-1-dark.svg",
    }


def test_inline_code_in_quiz_text_is_code_in_the_html_and_never_markup():
    data = broken(
        lambda d: d["flashcards"][0].update(
            question="Why `step()` after `<b>x</b>`?", answer="A lone ` stays."
        )
    )
    html = quiz_html.render_quiz("page", data)
    assert "Why <code>step()</code> after <code>&lt;b&gt;x&lt;/b&gt;</code>?" in html
    assert "A lone ` stays." in html
    page = quiz_html.render_review(
        quiz_html.review_deck({"p": data}, {"p": ("`a` b", "p/")}, [])
    )
    assert '<a href="p/"><code>a</code> b</a>' in page


# ---------------------------------------------------------------- drills

FIGURES = {
    "page/drills.py": [
        {"light": f"assets/snippets/page/drills-{n}.svg"}
        | {"dark": f"assets/snippets/page/drills-{n}-dark.svg"}
        | {"phone_light": f"assets/snippets/page/drills-{n}-phone.svg"}
        | {"phone_dark": f"assets/snippets/page/drills-{n}-phone-dark.svg"}
        | {"alt": f"Figure {n}. Loss against step; lines: A, B.", "width": 600}
        | {"height": 380, "phone_width": 360, "phone_height": 300}
        for n in (1, 2)
    ]
}


def drill(ref: str) -> dict:
    return broken(lambda d: d["choices"][0].update(figure=ref))


def test_a_drill_gets_its_figure_from_the_run_and_shows_it_without_javascript():
    resolved = quiz_data.resolve_figures("page", drill("page/drills.py 2"), FIGURES)
    assert resolved["choices"][0]["figure"] == FIGURES["page/drills.py"][1]
    html = quiz_html.render_quiz("page", resolved, "too-high/")
    light = 'src="../assets/snippets/page/drills-2.svg#only-light" alt="Figure 2.'
    assert light in html and "drills-2-dark.svg#only-dark" in html
    assert 'width="600" height="380"' in html
    phone = 'srcset="../assets/snippets/page/drills-2-phone-dark.svg" width="360"'
    assert '<source media="(max-width: 40em)" ' + phone in html
    assert html.index('class="quiz-figure"') < html.index("1. Which?")
    figure = parse(html).items["choices"][0]["figure"]
    assert figure["light"] == "../assets/snippets/page/drills-2.svg"
    assert figure["phone_dark"] == "../assets/snippets/page/drills-2-phone-dark.svg"
    assert figure["alt"].startswith("Figure 2.") and figure["width"] == 600


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("page/nothing.py 1", "snippets/page/nothing.py does not exist"),
        ("page/drills.py 3", "snippets/page/drills.py draws 2 figure(s)"),
    ],
)
def test_a_drill_naming_no_figure_names_the_quiz_file_and_the_item(ref, problem):
    with pytest.raises(quiz_data.QuizError) as caught:
        quiz_data.resolve_figures("too-high", drill(ref), FIGURES)
    assert str(caught.value) == (
        f"quiz/too-high.json: $.choices[0] (id 'pick'): figure {ref!r}: {problem}"
    )


def test_a_drill_figure_is_a_snippet_path_and_a_figure_number(tmp_path):
    write_quiz(tmp_path, "page", drill("page/drills.py"))
    with pytest.raises(quiz_data.QuizError, match=r"\$\.choices\[0\]\.figure: "):
        quiz_data.load_all(tmp_path)
    write_quiz(tmp_path, "page", drill("page/drills.py 1"))
    assert quiz_data.load_all(tmp_path)


def test_every_drill_of_the_site_names_a_snippet_and_hides_the_answer():
    """A drill's snippet exists, and the figure names its curves by letter only: its
    alt text (title, axes, legend) is checked on the built page below."""
    drills = 0
    for slug, data in quiz_data.load_all(QUIZ_DIR).items():
        for item in data.get("choices", []):
            if "figure" in item:
                drills += 1
                rel = item["figure"].partition(" ")[0]
                assert (ROOT / "snippets" / rel).is_file(), f"{slug}: {item['id']}"
    assert drills >= 12


def test_every_drill_on_the_built_site_shows_a_figure_named_by_letters(built_site):
    for slug in quiz_data.load_all(QUIZ_DIR):
        for item in quiz_as_built(built_site, slug).get("choices", []):
            if "figure" not in item:
                continue
            figure = item["figure"]
            page = built_site / slug
            for variant in ("light", "dark", "phone_light", "phone_dark"):
                assert (page / figure[variant]).resolve().is_file(), item["id"]
            legend = figure["alt"].partition("lines: ")[2].rstrip(".")
            assert set(legend.split(", ")) <= {"", "A", "B", "C", "D"}, item["id"]


def test_a_build_runs_a_snippet_only_a_drill_shows(quiz_project, tmp_path):
    (quiz_project / "snippets" / "index").mkdir(parents=True)
    (quiz_project / "snippets" / "index" / "drills.py").write_text(
        "import matplotlib.pyplot as plt\n\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([0, 1], [1, 0], label='A')\n"
        "ax.set(title='Drill', xlabel='step', ylabel='loss')\n"
        "ax.legend(loc='upper right')\n"
        "plt.show()\n"
    )
    write_quiz(quiz_project / "quiz", "index", drill("index/drills.py 1"))
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode == 0, build.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert 'src="assets/snippets/index/drills-1.svg#only-light"' in html
    assert (tmp_path / "out" / "assets/snippets/index/drills-1.svg").is_file()
    assert (tmp_path / "out" / "assets/snippets/index/drills-1-phone.svg").is_file()
    write_quiz(quiz_project / "quiz", "index", drill("index/drills.py 2"))
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode != 0
    assert (
        "quiz/index.json: $.choices[0] (id 'pick'): figure 'index/drills.py 2': "
        "snippets/index/drills.py draws 1 figure(s)"
    ) in build.stderr


# ---------------------------------------------------------------- the site


def site_markers() -> list[tuple[str, markers.Marker]]:
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        page = path.relative_to(ROOT / "docs").as_posix()
        for marker in markers.find_markers(path.read_text()):
            if marker.kind == "quiz":
                found.append((page, marker))
    return found


def test_every_quiz_marker_names_its_own_pages_quiz():
    quizzes = quiz_data.load_all(QUIZ_DIR)
    for page, marker in site_markers():
        if marker.arg == quiz_data.REVIEW:
            continue
        assert marker.arg in quizzes, f"{page}: no quiz/{marker.arg}.json"
        assert marker.arg == page.removesuffix(".md"), f"{page} shows another's quiz"


def test_every_quiz_file_is_shown_on_a_page_and_the_review_page_exists():
    used = {marker.arg for _, marker in site_markers()}
    assert set(quiz_data.load_all(QUIZ_DIR)) <= used
    assert quiz_data.REVIEW in used


def test_every_page_with_a_quiz_has_all_three_kinds():
    for slug, data in quiz_data.load_all(QUIZ_DIR).items():
        assert len(data.get("flashcards", [])) >= 2, slug
        assert len(data.get("choices", [])) >= 3, slug
        assert len(data.get("explain", [])) >= 1, slug


# ---------------------------------------------------------------- the seed


def seed_items() -> dict[str, list[dict]]:
    """The seed page's items: flashcards (level, question, answer), choices
    (question, explanation) and explain prompts (prompt, hint)."""
    lines = [line.strip() for line in SEED.read_text().splitlines()]
    items: dict[str, list[dict]] = {"flashcards": [], "choices": [], "explain": []}
    for n, line in enumerate(lines):
        if line in ("beginner", "intermediate", "advanced"):
            items["flashcards"].append(
                {"level": line, "question": lines[n + 1], "answer": lines[n + 2]}
            )
        elif line == "✗ Incorrect":
            items["choices"].append(
                {"question": lines[n - 1], "explanation": lines[n + 1]}
            )
        elif re.fullmatch(r"You got N?/4 concepts\.?", line):
            items["explain"].append({"prompt": lines[n - 2], "hint": lines[n - 1]})
    return items


def test_the_seed_parses_into_five_cards_five_questions_and_two_prompts():
    items = seed_items()
    assert [len(items[k]) for k in ("flashcards", "choices", "explain")] == [5, 5, 2]


@pytest.mark.parametrize("kind", ["flashcards", "choices", "explain"])
def test_every_seed_item_is_in_a_quiz_of_the_site(kind):
    quizzes = quiz_data.load_all(QUIZ_DIR)
    shown = {marker.arg for _, marker in site_markers()}
    for seed in seed_items()[kind]:
        homes = [
            slug
            for slug, data in quizzes.items()
            for item in data.get(kind, [])
            if all(item[key] == value for key, value in seed.items())
        ]
        assert homes, f"seed {kind} item missing from quiz/: {seed}"
        assert set(homes) & shown, f"seed item on no page: {seed}"


def test_every_built_page_shows_its_quiz_and_review_shows_every_card(built_site):
    quizzes = quiz_data.load_all(QUIZ_DIR)
    for slug in quizzes:
        page = (built_site / slug.removesuffix("index") / "index.html").read_text()
        assert f'<div class="quiz" data-quiz="{slug}" data-items=' in page
        assert "quiz-slot" not in page
    review = (built_site / "review" / "index.html").read_text()
    total = sum(
        len(q.get(kind, [])) for q in quizzes.values() for kind in quiz_data.KINDS
    )
    cards = sum(len(q.get("flashcards", [])) for q in quizzes.values())
    assert (
        f"<p>{total} questions from {len(quizzes)} pages: {cards} flashcards" in review
    )
    found = re.search(r'data-quiz="review" data-items="([^"]*)"', review)
    deck = json.loads(html.unescape(found.group(1)))["cards"]
    assert sorted(card["key"] for card in deck) == sorted(
        f"{slug}/{item['id']}"
        for slug, data in quizzes.items()
        for kind in quiz_data.KINDS
        for item in data.get(kind, [])
    )


def test_the_review_without_javascript_links_every_quiz_page_once(built_site):
    """Each page's quiz works without JavaScript; the review page, which needs it,
    links each of them once, with its number of questions."""
    quizzes = quiz_data.load_all(QUIZ_DIR)
    review = (built_site / "review" / "index.html").read_text()
    static = re.search(r'<div class="quiz-static">(.*?)</div></div>', review, re.S)
    links = re.findall(
        r'<li><a href="\.\./([^"]*)/">.*?</a> — (\d+) questions?</li>', static.group(1)
    )
    # A section's index page: its quiz is "<section>/index", its address "<section>/".
    linked = [slug if slug in quizzes else f"{slug}/index" for slug, _ in links]
    assert sorted(linked) == sorted(quizzes)
    for slug, (_, count) in zip(linked, links, strict=True):
        data = quizzes[slug]
        assert int(count) == sum(len(data.get(kind, [])) for kind in quiz_data.KINDS)
    assert "<img" not in static.group(1) and "<details" not in static.group(1)


def test_no_question_in_the_review_shows_raw_markdown(built_site):
    """quiz.js and the page without JavaScript both turn `code` into <code> by
    splitting on backticks: every text a reader sees must hold them in pairs,
    and hold no LaTeX (quiz text writes formulas in Unicode: w ← w − η·∇L(w))."""
    review = (built_site / "review" / "index.html").read_text()
    found = re.search(r'data-quiz="review" data-items="([^"]*)"', review)
    deck = json.loads(html.unescape(found.group(1)))["cards"]
    shown = ("page", "question", "answer", "options", "explanation", "feedback")
    shown += ("prompt", "hint", "concepts")
    texts = []
    for card in deck:
        for field in shown:
            value = card.get(field, [])
            texts += [
                (card["key"], v)
                for v in (value if isinstance(value, list) else [value])
            ]
    texts = [(key, text) for key, text in texts if isinstance(text, str)]
    assert len(texts) > 5 * len(deck)
    raw = [(key, text) for key, text in texts if text.count("`") % 2]
    assert raw == [], "an odd number of backticks shows one raw"
    latex = [(key, text) for key, text in texts if re.search(r"\\[(\[a-z]|\$", text)]
    assert latex == [], "LaTeX the review would show raw"
    static = re.search(r'<div class="quiz-static">(.*?)</div></div>', review, re.S)
    assert "`" not in re.sub(r"<[^>]+>", "", static.group(1))


def quiz_as_built(built_site: Path, slug: str) -> dict:
    """A page's quiz as the build wrote it for quiz.js: the text the reader sees, with
    every {{ snippet.value }} bound to this machine's runs."""
    page = (built_site / slug.removesuffix("index") / "index.html").read_text()
    start = f'<div class="quiz" data-quiz="{slug}" data-items="'
    found = re.search(re.escape(start) + '([^"]*)"', page)
    assert found, f"{slug}: no quiz in the built page"
    return json.loads(html.unescape(found.group(1)))


def test_the_longest_option_is_not_a_tell_for_the_right_one(built_site):
    """A reader who picks the longest option must not score: the right option is
    the strictly longest in at most a third of the questions, and in none more than
    1.5 times the median length of its question's wrong options. Lengths as the
    reader sees them: read from the built pages, bound values rendered."""
    questions, longest, too_long = 0, [], []
    for slug in quiz_data.load_all(QUIZ_DIR):
        for item in quiz_as_built(built_site, slug).get("choices", []):
            questions += 1
            lengths = [len(option) for option in item["options"]]
            right = lengths.pop(item["answer"])
            where = f"{slug}: {item['id']}"
            if right > max(lengths):
                longest.append(where)
            if right > 1.5 * statistics.median(lengths):
                median = statistics.median(lengths)
                too_long.append(f"{where}: {right} characters, wrong ones {median}")
    assert questions, "no multiple-choice questions in the built site"
    assert not too_long, "right option over 1.5 times the wrong ones' median:\n" + (
        "\n".join(too_long)
    )
    assert len(longest) <= questions / 3, (
        f"the right option is the longest in {len(longest)} of {questions} "
        "questions: make the wrong ones as long and specific\n" + "\n".join(longest)
    )


# ---------------------------------------------------------------- the build


@pytest.fixture
def quiz_project(tmp_project) -> Path:
    """The minimal project with the schema and one good quiz."""
    write_quiz(tmp_project / "quiz", "index", VALID)
    (tmp_project / "docs" / "index.md").write_text(
        "# Test page\n\n<!-- quiz: index -->\n"
    )
    return tmp_project


def test_a_build_renders_the_quiz(quiz_project, tmp_path):
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode == 0, build.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert '<div class="quiz" data-quiz="index" data-items=' in html


def test_a_build_with_bad_quiz_data_stops_with_file_path_and_problem(
    quiz_project, tmp_path
):
    write_quiz(
        quiz_project / "quiz", "index", broken(lambda d: d["choices"][0].pop("answer"))
    )
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode != 0
    assert (
        "quiz/index.json: $.choices[0]: 'answer' is a required property" in build.stderr
    )


def test_a_build_with_a_marker_naming_a_missing_quiz_stops(quiz_project, tmp_path):
    page = quiz_project / "docs" / "index.md"
    page.write_text(page.read_text() + "\n<!-- quiz: nowhere -->\n")
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode != 0
    assert "index.md: line 5: quiz 'nowhere' does not exist" in build.stderr


def test_a_strict_build_fails_on_a_quiz_no_page_shows(quiz_project, tmp_path):
    write_quiz(quiz_project / "quiz", "orphan", VALID)
    build = mkdocs_build(quiz_project / "mkdocs.yml", tmp_path / "out")
    assert build.returncode != 0
    assert "quiz/orphan.json is used by no page" in build.stderr


@pytest.mark.parametrize("schema", [None, "{not json"])
def test_a_missing_or_broken_schema_is_a_clear_error(tmp_path, schema):
    if schema is not None:
        (tmp_path / "schema.json").write_text(schema)
    with pytest.raises(quiz_data.QuizError, match=r"^quiz/schema.json: "):
        quiz_data.load_all(tmp_path)


def test_the_review_without_javascript_loads_no_drill_figure():
    """A drill's figure is in the deck's data, drawn when its card comes up."""
    figure = {"light": "a/d-1.svg", "dark": "a/d-1-dark.svg", "alt": "Curves A, B"}
    data = broken(lambda d: d["choices"][0].update(figure=figure | {"width": 9}))
    html = quiz_html.render_review(
        quiz_html.review_deck({"t": data}, {"t": ("T", "t/")}, [])
    )
    assert "<img" not in html and "d-1.svg&quot;" in html
    assert parse(html).items["cards"][1]["figure"] == figure | {"width": 9}


def test_a_quiz_no_page_uses_still_renders_in_the_review():
    """Its drill keeps the reference (only a page's quiz is resolved): no figure,
    no crash, as under `mkdocs serve` after a page's quiz marker is removed."""
    data = broken(lambda d: d["choices"][0].update(figure="page/drills.py 1"))
    html = quiz_html.render_review(
        quiz_html.review_deck({"t": data}, {"t": ("T", "t/")}, [])
    )
    assert '<a href="t/">T</a> — 3 questions' in html and "<img" not in html
    assert parse(html).items["cards"][1]["figure"] == "page/drills.py 1"


def test_a_dirty_build_shows_an_edited_quiz_on_its_page_and_the_review(quiz_project):
    """`make serve` runs `mkdocs serve --dirty`: a quiz edit, and a number its
    snippet binds, must reach the page that shows the quiz and the review deck,
    though neither page's source changed (hooks/stale_pages.py); a page that shows
    no quiz is not rendered again."""
    docs, site = quiz_project / "docs", quiz_project / "site"
    snippet = quiz_project / "snippets" / "index" / "train.py"
    snippet.parent.mkdir(parents=True)
    snippet.write_text("steps = 10\n")
    bound = copy.deepcopy(VALID)
    bound["flashcards"][0]["answer"] = "After {{ train.steps }} steps."
    write_quiz(quiz_project / "quiz", "index", bound)
    (docs / "index.md").write_text(
        "# Test page\n\n<!-- snippet: index/train.py -->\n\n<!-- quiz: index -->\n"
    )
    (docs / "review.md").write_text("# Review\n\n<!-- quiz: review -->\n")
    (docs / "other.md").write_text("# Other\n\nNo quiz.\n")
    config = quiz_project / "mkdocs.yml"
    dirty_build(config, site)
    other = site / "other" / "index.html"
    written = other.stat().st_mtime_ns
    snippet.write_text("steps = 20\n")  # a number the quiz binds, on both pages
    dirty_build(config, site)
    for page in (site / "index.html", site / "review" / "index.html"):
        assert "After 20 steps." in page.read_text(), page
    edited = copy.deepcopy(bound)
    edited["flashcards"][0]["question"] = "Edited question?"
    write_quiz(quiz_project / "quiz", "index", edited)
    dirty_build(config, site)
    for page in (site / "index.html", site / "review" / "index.html"):
        assert "Edited question?" in page.read_text(), page
    assert other.stat().st_mtime_ns == written
