"""A page shows a snippet's figure first, its teaching lines, and the plotting and
checks folded; copying the code gives the whole file; search finds prose only."""

import html
import json
import re

import pytest

import markers
import search_index
import snippet_runner
from snippet_markdown import diff_marks, render_code, split_folds
from snippets import quiz_snippet_paths, snippet_paths
from support import ROOT
from test_build import build_fails, write_page

DATA_COPY = re.compile(r'<div class="snippet-code" data-copy="([^"]*)"')
SNIPPET_TITLE = re.compile(r'<span class="filename">snippets/([^<]+)</span>')


def test_a_cell_marker_starts_a_fold_with_its_title():
    code = "x = 1\nprint(x)\n# %% Checks and figure\nassert x == 1\nplt.show()\n"
    shown, folds = split_folds("page/x.py", code)
    assert shown == "x = 1\nprint(x)\n"
    assert folds == [("Checks and figure", "assert x == 1\nplt.show()\n")]
    assert split_folds("page/x.py", "y = 2\n") == ("y = 2\n", [])


def test_a_fold_without_a_title_is_an_error_naming_the_snippet():
    with pytest.raises(markers.MarkerError, match="snippets/page/x.py: a `# %%`"):
        split_folds("page/x.py", "x = 1\n# %%\nassert x\n")


def test_the_code_block_copies_the_whole_file_and_names_the_folded_lines():
    code = 'x = "<a & b>"\n# %% Checks\nassert x\nassert len(x) == 7\n'
    rendered = render_code("page/x.py", code)
    assert html.unescape(DATA_COPY.search(rendered).group(1)) == code
    assert '??? fold "Checks (2 lines)"' in rendered


WRONG = '''"""Wrong: the scheduler first.
Two lines of docstring."""

import torch

opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, 1)
for _ in range(3):
    sched.step()  # wrong
    opt.step()
print(opt.param_groups[0]["lr"])
# %% Checks
assert True
'''
RIGHT = '''"""Right: the optimizer first."""

import torch

opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, 1)
for _ in range(3):
    opt.step()
    sched.step()
print(opt.param_groups[0]["lr"])
# %% Checks
assert False
'''


def test_a_wrong_right_pair_marks_the_lines_that_differ_from_the_files():
    # Line numbers are the file's; the docstrings and the folds are not compared.
    assert diff_marks(WRONG, RIGHT, "right")[0] == [9]
    assert diff_marks(RIGHT, WRONG, "wrong")[0] == [9]
    rendered = render_code("page/x_wrong.py", WRONG, RIGHT)
    assert 'hl_lines="9"' in rendered
    assert "the 1 line" not in rendered  # said in words, for who cannot see colour
    assert "the line that differs from the right version" in rendered
    assert "hl_lines" not in render_code("page/x_wrong.py", WRONG)  # no pair shown


def test_a_pair_written_differently_throughout_marks_nothing_and_says_so():
    other = '''"""Right."""\n\nx = [1, 2, 3]\ny = sum(x)\nprint(y)\n'''
    marked, caption = diff_marks(WRONG, other, "right")
    assert marked == []
    assert caption.startswith("No line marked: 7 of its 7 lines differ")


def test_every_built_pair_highlights_the_lines_its_caption_names(built_site):
    captions = 0
    for page in ("mistakes", "training/mixed-precision", "training/resuming"):
        text = (built_site / page / "index.html").read_text()
        for block in text.split('<p class="snippet-diff">')[1:]:
            caption, code = block.split("</p>", 1)
            marked = code.split("</code>", 1)[0].count('<span class="hll">')
            if counted := re.match(
                r"Highlighted, with a bar on the left: the (\d+)", caption
            ):
                # neighbouring lines may share a span (hooks/minify.py), never more
                assert 1 <= marked <= int(counted.group(1)), (page, caption)
            else:
                assert caption.startswith("No line marked") and not marked, page
            captions += 1
    assert captions >= 2 * 8 + 2 + 2  # both snippets of every pair


SHOWN_AT_MOST = 45  # lines a page shows of a snippet before its first fold
NOT_FOLDED_YET = {  # (issue 35) to fold or restructure; remove each when it fits
    "convergence/plateau.py",
    "finding-lr/range_test.py",
    "playground/presets.py",
    "reference/composition/warmup_cosine.py",
    "schedulers/resume.py",
    "too-high/mlp_diverges.py",
    "training/batch-size/sweep.py",
    "training/compile/recompiles.py",
    "training/frameworks/timm.py",
    "training/resuming/extend.py",
    "training/resuming/load_order.py",
    "training/schedule-free/train_eval.py",
    "training/schedule-free/versus_cosine.py",
    "training/wsd/branch_scheduler.py",
    "training/wsd/branching.py",
}


def snippet_markers_in_docs() -> set[str]:
    return {
        rel
        for page in (ROOT / "docs").rglob("*.md")
        for rel in snippet_paths(page.read_text())
    }


def test_a_page_shows_a_screenful_of_each_snippet_the_rest_folded():
    """Of the snippets a page shows: a drill's (a quiz shows its figure, never its
    code, which gives the answer away) is not shown at all."""
    shown = {}
    drills_only = quiz_snippet_paths(ROOT / "quiz").keys() - snippet_markers_in_docs()
    for path in sorted((ROOT / "snippets").rglob("*.py")):
        rel = path.relative_to(ROOT / "snippets").as_posix()
        if rel in drills_only:
            continue
        shown[rel] = len(split_folds(rel, path.read_text())[0].rstrip().splitlines())
    too_long = {rel: n for rel, n in shown.items() if n > SHOWN_AT_MOST}
    new = {rel: n for rel, n in too_long.items() if rel not in NOT_FOLDED_YET}
    assert not new, (
        f"over {SHOWN_AT_MOST} lines shown before the first `# %% Title`: fold the "
        f"set-up, launcher, tables or machinery under one: {new}"
    )
    fitting = sorted(NOT_FOLDED_YET - set(too_long))
    assert not fitting, f"these fit now: take them off NOT_FOLDED_YET: {fitting}"


def test_every_built_snippet_copies_exactly_its_file(built_site):
    checked = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        copies = DATA_COPY.findall(text)
        titles = SNIPPET_TITLE.findall(text)
        for copy, rel in zip(copies, titles, strict=True):
            assert html.unescape(copy) == (ROOT / "snippets" / rel).read_text(), rel
            checked += 1
    assert checked > 50


def test_a_figure_marker_names_a_figure_the_snippet_draws(tmp_project):
    (tmp_project / "snippets" / "drawn.py").write_text("print(1)\n")
    write_page(tmp_project, "<!-- snippet: drawn.py -->\n\n<!-- figure: drawn.py 2 -->")
    assert "line 5: drawn.py 2: drawn.py draws 0 figure(s)" in build_fails(tmp_project)


def test_a_figure_marker_needs_the_snippet_marker_after_it(tmp_project):
    (tmp_project / "snippets" / "drawn.py").write_text("print(1)\n")
    write_page(tmp_project, "<!-- figure: drawn.py -->\n\nNo code follows.")
    stderr = build_fails(tmp_project)
    assert "index.md: line 3: the figure of drawn.py comes before its code" in stderr


def test_search_indexes_no_code_no_output_and_no_quiz_answer(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    text = "\n".join(doc["text"] for doc in index["docs"])
    for code in ("optimizer.zero_grad()", "import torch", "plt.show()"):
        assert code not in text
    assert "Output with torch" not in text
    # A quiz's answers may repeat the prose; its questions (templates unbound) do not.
    questions = [
        item["question"][:40]
        for quiz in (ROOT / "quiz").glob("*.json")
        if quiz.name != "schema.json"
        for kind in ("flashcards", "choices")
        for item in json.loads(quiz.read_text()).get(kind, [])
        if "{{" not in item["question"][:40]
    ]
    assert len(questions) > 50
    assert [q for q in questions if html.escape(q) in text or q in text] == []


def test_search_reads_each_page_as_it_would_read_the_whole_page(built_site):
    """Search is handed pages with their excluded parts emptied (the fast path in
    hooks/search_index.py): Material's parser finds the same sections in them."""
    from material.plugins.search.plugin import Parser

    def indexed(page_html: str) -> list[tuple[str, str]]:
        parser = Parser()
        parser.feed(page_html)
        parser.close()
        kept = [s for s in parser.data if not s.is_excluded()]
        return [(s.id, "".join(s.title) + "".join(s.text)) for s in kept]

    pages = sorted(built_site.rglob("index.html"))
    emptied = 0
    for path in pages:
        article = re.search(r"<article[^>]*>(.*)</article>", path.read_text(), re.S)
        content = search_index.exclude_from_search(article.group(1))
        stripped = search_index.as_search_reads_it(content)
        emptied += len(stripped) < len(content)
        assert indexed(stripped) == indexed(content), path.relative_to(built_site)
    assert emptied > len(pages) / 2  # most pages have code or a quiz to leave out


def test_search_indexes_a_readers_words_with_each_section_that_says_the_pages():
    """hooks/search_index.py's SYNONYMS: "LR finder" is indexed with a section that
    says "range test", after it, so Material's parser counts it in that section."""
    page = (
        '<h1 id="a">Finding</h1><p>Intro.</p><h2 id="b">The range test</h2><p>x</p>'
        '<h2 id="c">Other</h2><p>It diverges.</p><h2 id="d">Next</h2>'
    )
    assert search_index.with_synonyms(page) == (
        '<h1 id="a">Finding</h1><p>Intro.</p><h2 id="b">The range test</h2><p>x</p>'
        "<p>LR finder</p>"
        '<h2 id="c">Other</h2><p>It diverges.</p><p>NaN</p><h2 id="d">Next</h2>'
    )


def test_the_readers_words_are_in_the_index_and_not_on_the_page(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    text = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert text["finding-lr/#the-lr-range-test-in-plain-pytorch"].endswith(
        "<p>LR finder</p>"
    )
    assert "<p>LR finder</p>" not in (built_site / "finding-lr/index.html").read_text()


# A concept's query, and the page (and section) that explains it.
CONCEPTS = {
    "warmup": "changing-lr/#warmup",
    "cosine": "reference/cosineannealinglr/",
    "StepLR": "reference/steplr/",
    "plateau": "reference/reducelronplateau/",
    "diverge": "too-high/#a-real-network-that-diverges",
    "range test": "finding-lr/#the-lr-range-test-in-plain-pytorch",
    "learning rate": "learning-rate/",
    "GradScaler": "training/mixed-precision/#a-skipped-step-still-moves-the-rate",
    # Questions as readers type them into PyTorch's, Lightning's and Hugging
    # Face's issue trackers, in their words, not the pages' (hooks/search_index.py
    # indexes a few of their words as synonyms of the pages').
    "gradient accumulation": "training/steps/#count-optimizer-steps",
    "nan loss": "too-high/#a-real-network-that-diverges",
    "loss is nan": "too-high/#a-real-network-that-diverges",
    "lr finder": "finding-lr/#reading-a-rate-off-the-curve",
    "warm up": "changing-lr/#warmup",
    "scheduler step order": "mistakes/#scheduler-stepped-before-the-optimizer",
    "warmup cosine": "recipes/#warmup-then-cosine-decay",
    "lr not changing": "schedulers/#when-the-logged-lr-is-not-changing",
    "resume scheduler": "schedulers/#resuming-a-run",
    "OneCycleLR tried to step too many times": (
        "mistakes/#onecyclelr-tried-to-step-too-many-times"
    ),
    "learning rate per layer": "schedulers/#different-rates-for-different-parameters",
    "ReduceLROnPlateau not reducing": "reference/reducelronplateau/#how-it-steps",
    "custom scheduler": "training/custom-scheduler/",
    "no weight decay bias": (
        "training/param-groups/#no-weight-decay-on-biases-and-norms"
    ),
}


@pytest.mark.browser
def test_a_concept_query_finds_the_section_that_explains_it_first(browser_page):
    browser_page.goto("", wait_until="load")
    found = {}
    for query in CONCEPTS:
        search = browser_page.locator("input.md-search__input")
        search.click()
        # An empty query empties the results, so the next ones are this query's.
        first = browser_page.locator(".md-search-result__item").first
        search.fill("")
        search.press("End")  # a key event: Material searches on keyup
        first.wait_for(state="detached")
        search.fill(query)
        search.press("End")
        first.wait_for()
        links = first.locator("a").evaluate_all(
            "links => links.map(a => a.pathname + a.hash)"
        )
        page, _, section = CONCEPTS[query].partition("#")
        found[query] = (
            CONCEPTS[query]
            if (
                links[0].endswith("/" + page)
                and (not section or any(link.endswith(f"#{section}") for link in links))
            )
            else links
        )
        browser_page.keyboard.press("Escape")
    assert found == CONCEPTS


@pytest.mark.browser
def test_a_figure_opens_full_size_from_the_keyboard(browser_page):
    browser_page.set_viewport_size({"width": 1280, "height": 1000})
    browser_page.goto("reference/steplr/", wait_until="load")
    link = browser_page.locator("a.glightbox:visible").first
    src = link.locator("img").get_attribute("src")
    in_column = link.locator("img").bounding_box()["width"]
    link.focus()
    browser_page.keyboard.press("Enter")
    enlarged = browser_page.locator(".glightbox-container .gslide.current.loaded img")
    enlarged.wait_for()
    browser_page.wait_for_timeout(600)  # the zoom-in animation
    assert enlarged.get_attribute("src") == src
    assert enlarged.bounding_box()["width"] > 1.1 * in_column
    browser_page.keyboard.press("Escape")
    browser_page.locator(".glightbox-container").wait_for(state="detached")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("width", "scheme", "variant"),
    [
        (390, "light", "-1-phone.svg"),
        (390, "dark", "-1-phone-dark.svg"),
        (1280, "light", "-1.svg"),
        (1280, "dark", "-1-dark.svg"),
    ],
)
def test_a_reader_downloads_the_one_figure_drawn_for_their_screen_and_palette(
    fresh_browser_page, width, scheme, variant
):
    """Four files a figure, one fetched: the other palette's picture is hidden and
    its lazy image never loads, and a picture loads the source its media query
    picks. On a phone that is the variant drawn 360 px wide, shown about as wide
    as drawn (so its 10 pt text stays 13 px); its lightbox opens the wide one.
    (The page's last figure: one near the top may start loading before Material
    has read the reader's colour scheme on a first visit, in both palettes.)"""
    page = fresh_browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    folder = "/assets/snippets/training/frameworks/timm"
    fetched = []
    page.on("request", lambda r: folder in r.url and fetched.append(r.url))
    page.goto("training/frameworks/", wait_until="load")
    shown = page.locator(".snippet-figures img:visible").last
    shown.scroll_into_view_if_needed()
    loaded = "img => img.complete && img.naturalWidth"
    page.wait_for_function(loaded, arg=shown.element_handle())
    page.wait_for_timeout(300)  # time for a wrong fetch to show up
    assert [url.rpartition("/")[2] for url in fetched] == [f"timm{variant}"]
    assert shown.evaluate("img => img.currentSrc").split("#")[0].endswith(variant)
    if width == 390:
        drawn = shown.evaluate("img => img.naturalWidth")
        assert drawn == pytest.approx(360, abs=25)
        assert shown.bounding_box()["width"] == pytest.approx(358, abs=8)
        shown.click()
        enlarged = page.locator(".glightbox-container .gslide.current.loaded img")
        enlarged.wait_for()
        opened = enlarged.get_attribute("src").split("#")[0]
        assert opened.endswith(f"timm-1{'-dark' if scheme == 'dark' else ''}.svg")
        page.keyboard.press("Escape")


@pytest.mark.browser
def test_the_copy_button_copies_the_whole_file_folds_included(browser_page):
    browser_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    browser_page.goto("too-low/", wait_until="load")
    code = browser_page.locator(".snippet-code").first
    assert code.locator("details.fold").get_attribute("open") is None  # folded
    code.hover()
    code.locator("button[data-md-type=copy]").first.click()
    copied = browser_page.evaluate("navigator.clipboard.readText()")
    snippet = ROOT / "snippets" / "too-low" / "small_rates.py"
    assert copied == snippet.read_text().rstrip()  # Material trims the last newline


def test_every_page_shows_each_figure_before_the_code_that_drew_it(built_site):
    """The page anatomy: a snippet that draws has a `figure:` marker before its
    `snippet:` marker, so the reader meets the figure, then its reading, then
    the code."""
    late = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        found = markers.find_markers(page.read_text())
        figures = {m.arg.partition(" ")[0] for m in found if m.kind == "figure"}
        for marker in found:
            if marker.kind != "snippet":
                continue
            drawn = snippet_runner.cached_result(
                ROOT / "snippets" / marker.arg, ROOT
            ).figures
            if drawn and marker.arg not in figures:
                late.append(f"{page.relative_to(ROOT)}:{marker.line} {marker.arg}")
    assert late == []
