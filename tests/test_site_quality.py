"""Quality gates over the whole built site: links, offline, accessibility, lint."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from bench import own_assets, page_weights
from support import ROOT, SITE_URL, overflowing, page_paths, wrapped_outputs


class LinksAndIds(HTMLParser):
    """The ids a page defines and the URLs it points to (links and assets)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "a" and name == "src"):
                self.urls.append(attrs[name])


def parse(page: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(page.read_text())
    return parser


# Absolute paths (only 404.html uses them) start with site_url's path.
SITE_PATH = urlsplit(SITE_URL).path


def target_file(site: Path, page: Path, path: str) -> Path:
    if path.startswith("/"):
        base, path = site, path.removeprefix(SITE_PATH)
    else:
        base = page.parent
    target = (base / unquote(path)).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_every_internal_link_and_anchor_resolves(built_site):
    pages = sorted(built_site.rglob("*.html"))
    parsed = {page.resolve(): parse(page) for page in pages}
    broken = []
    for page, found in parsed.items():
        for url in found.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # another host: the offline test below forbids loading it
            target = target_file(built_site, page, parts.path) if parts.path else page
            name = page.relative_to(built_site.resolve())
            if not target.exists():
                broken.append(f"{name}: {url} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{name}: {url} (no such anchor)")
    assert broken == []


PAGES = page_paths()
# One page of each kind (home; a concept page with code, formulas, figures and a
# quiz; a reference page with a signature and tables; the playground; a lab; the
# review) is checked in full in both palettes. The others are checked in the light
# palette without their highlighted code and without the header, navigation and
# footer every page shares: the code's colours come from the same few CSS classes
# everywhere, and checking the same tokens and links on every page would take a
# third of the test suite's time.
IN_FULL = {
    "",
    "learning-rate/",
    "reference/cycliclr/",
    "playground/",
    "labs/find-lr/",
    "review/",
}
CHECKED_ON_EVERY_PAGE = {
    "exclude": [[".highlight"], [".md-header"], [".md-sidebar"], [".md-footer"]]
}


def test_every_page_is_checked_by_the_browser_gates():
    assert len(PAGES) == len(set(PAGES)) > 30
    assert IN_FULL <= set(PAGES)


def serious_violations(page, scheme: str, context) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [
        f"{scheme}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# How much taller the page's title is for its permalink (shown on hover only).
TITLE_GROWN_BY_ITS_LINK = """() => {
  const title = document.querySelector(".md-content h1");
  const link = title && title.querySelector(".headerlink");
  if (!link) return 0;
  const height = title.getBoundingClientRect().height;
  link.remove();
  const without = title.getBoundingClientRect().height;
  title.append(link);
  return height - without;
}"""


# Light pages (issue 35, Lighthouse's "excessive DOM size"): every page under
# 2,000 elements once loaded. Counted in the browser, not in the built HTML:
# Material and our widgets add elements, and a code block far down the page gets
# its colours (hundreds of spans) only when a reader comes near it (minify.py).
MAX_ELEMENTS = 2000
ELEMENTS_ONCE_LOADED = """() => new Promise((done) => requestAnimationFrame(() =>
  requestAnimationFrame(() => done(document.querySelectorAll("*").length))))"""


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_is_offline_error_free_and_accessible(browser_page, path):
    """The browser_page fixture fails the test if the page asks another host for
    anything or logs a console error; axe must find no serious violation; at
    1280 and 390 px it lays out well (nothing off the side, no empty line, no
    output line wrapped); it loads under MAX_ELEMENTS elements."""
    browser_page.goto(path, wait_until="load")
    browser_page.wait_for_timeout(100)  # let the page's scripts mount
    elements = browser_page.evaluate(ELEMENTS_ONCE_LOADED)
    assert elements < MAX_ELEMENTS, f"{elements} elements once loaded: too heavy"
    full = path in IN_FULL
    context = None if full else CHECKED_ON_EVERY_PAGE
    palette = browser_page.locator("body")
    expect(palette).to_have_attribute("data-md-color-scheme", "default")
    problems = serious_violations(browser_page, "light", context)
    if full:
        # With the reader's toggle: Material keeps the palette it stored on the
        # first visit, so a reload in a dark colour scheme would stay light.
        browser_page.get_by_title("Switch to dark mode").click()
        expect(palette).to_have_attribute("data-md-color-scheme", "slate")
        problems += serious_violations(browser_page, "dark", context)
    assert not problems, "serious accessibility violations:\n" + "\n".join(problems)
    # A title that fills its line is not followed by an empty one.
    assert browser_page.evaluate(TITLE_GROWN_BY_ITS_LINK) == 0, "at 1280 px"
    # On a 390 px phone nothing runs off the side: wide code and tables scroll in
    # their own box, and the page itself never scrolls sideways. (The page lays
    # itself out again for the new width, as when a phone turns; no reload.)
    browser_page.set_viewport_size({"width": 390, "height": 844})
    browser_page.wait_for_function("() => window.innerWidth === 390")
    overflow = overflowing(browser_page)
    assert overflow == [], f"wider than a 390 px screen: {overflow}"
    # A printed output keeps its columns: it scrolls in its box, it never wraps.
    assert wrapped_outputs(browser_page) == [], "an output wraps at 390 px"
    assert browser_page.evaluate(TITLE_GROWN_BY_ITS_LINK) == 0, "at 390 px"


def test_our_js_and_css_and_every_page_stay_within_their_weight_budgets(built_site):
    """Budgets: our own JS+CSS (minified, not compressed) under 70 KB, and no
    page over 500 KB before compression (its HTML, our JS and CSS, and its figures).
    Issue 8 set 40 KB; issue 15 grew it to 64 KB for the playground's every
    scheduler (PyTorch's sixteen, their Python, compositions), its readouts and
    its trainer: about 59 KB, 22 KB gzipped, cached after the first page. Issue 39
    grew it to 68 KB for the review in days, with every kind of question and
    progress export and import (about 5 KB more). Issue 35 grew it to 70 KB for
    light pages on a phone: code coloured when it is read (highlight.js, 0.8 KB,
    which took the heaviest page from 4,068 elements to 1,254), figures' phone
    variants and their links, names in tables that break only at `_` or `.`, and
    the playground's colours told apart in both palettes."""
    own = own_assets(built_site)
    assert set(own) >= {"javascripts/quiz.js", "javascripts/lib/schedules.js"}
    assert sum(own.values()) < 70 * 1024, own
    heavy = [(total, page) for total, page, *_ in page_weights(built_site)]
    assert [row for row in heavy if row[0] > 500 * 1024] == []


def run_tool(tool: str, *args: str) -> subprocess.CompletedProcess:
    """A command-line tool installed in the same environment as pytest."""
    command = [str(Path(sys.executable).parent / tool), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


PYTHON_DIRS = ["snippets", "hooks", "tests", "docs"]  # docs/labs holds notebooks


def test_python_is_ruff_clean_and_formatted():
    check = run_tool("ruff", "check", *PYTHON_DIRS)
    assert check.returncode == 0, check.stdout
    formatted = run_tool("ruff", "format", "--check", *PYTHON_DIRS)
    assert formatted.returncode == 0, formatted.stdout


def test_docs_quiz_and_code_have_no_known_misspelling():
    spell = run_tool("codespell", "docs", "quiz", "snippets", "hooks", "README.md")
    assert spell.returncode == 0, spell.stdout


@pytest.mark.browser
def test_a_request_to_another_host_is_caught_and_fails(browser_page, page_log):
    """The guard behind every browser test: another host, by name or by address,
    is never reached, and the test learns of it, as of another port here."""
    others = ["http://example.com/a.png", "https://93.184.216.34/b.js"]
    here = "http://127.0.0.1:9/c.png"  # not the site's port
    # The load event waits for all three to fail.
    browser_page.set_content(
        f'<img src="{others[0]}"><script src="{others[1]}"></script><img src="{here}">'
    )
    assert sorted(page_log.foreign_requests) == sorted([*others, here])
    stopped = "Failed to load resource: net::ERR_PROXY_CONNECTION_FAILED"
    assert page_log.console_errors.count(stopped) == 2  # not sent on
    page_log.foreign_requests.clear()  # seen: the fixture need not fail the test
    page_log.console_errors.clear()
