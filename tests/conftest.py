"""Shared fixtures: a strict build of the site, that build served on localhost, and
headless Chromium pages that record requests to other hosts and console errors."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock
from playwright.sync_api import Error as PlaywrightError

from support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SITE_URL,
    skip_or_fail,
    start_site_build,
    wait_for_site_build,
    write_config,
)

BACKGROUND_BUILD = "LR_SITE_TEST_BUILD"  # folder of the build started at configure
# An empty page the test server adds to the site: where browser_page waits between
# tests, on the site's origin (so it can clear the site's storage).
BLANK_PAGE = "__blank__.html"
VIEWPORT = {"width": 1280, "height": 720}  # every test page opens at this size
# Every request to another host goes to a proxy that is not there (the discard
# port), so it fails and the page must work without it; 127.0.0.1 is reached
# directly. Cheaper than intercepting each request: 0.3 s of CPU a page. Pages
# record every request to another host or port, loopback ones included.
NO_OTHER_HOST = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}


def pytest_configure(config) -> None:
    """On a whole-suite run, start the site build at once in the background, so the
    tests that need no build run meanwhile (they are ordered first, below). Only
    the main process starts it; pytest-xdist's workers inherit the folder."""
    if hasattr(config, "workerinput") or config.args != config.getini("testpaths"):
        return
    folder = Path(tempfile.mkdtemp(prefix="lr-site-build-"))
    os.environ[BACKGROUND_BUILD] = str(folder)
    config.site_build = start_site_build(folder)


def pytest_unconfigure(config) -> None:
    if build := getattr(config, "site_build", None):
        build.kill()
        build.wait()
        shutil.rmtree(os.environ.pop(BACKGROUND_BUILD), ignore_errors=True)


def pytest_collection_modifyitems(items) -> None:
    """Tests that need the built site last: the others run while it builds."""
    items.sort(key=lambda item: "built_site" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory, worker_id) -> Path:
    """A temporary folder of this test run, shared by pytest-xdist's workers."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def built_site(run_dir) -> Path:
    """The whole site, built with --strict into a temporary folder (snippet results
    come from the project's cache when their sources are unchanged): the build the
    whole-suite run started at once, or else one started now. Under pytest-xdist
    the first worker starts it and the others wait for it and share it."""
    folder = Path(os.environ.get(BACKGROUND_BUILD) or run_dir / "site-build")
    with FileLock(run_dir / "site-build.lock"):
        if not folder.exists():
            folder.mkdir()
            start_site_build(folder).wait()
    return wait_for_site_build(folder)


@pytest.fixture(scope="session")
def output_of(built_site):
    """A snippet's printed output as the site build ran it (read from the snippet
    cache the build filled, so no snippet runs twice for this)."""
    import snippet_runner

    return lambda rel: snippet_runner.run_snippet(ROOT / "snippets" / rel, ROOT).output


class _LocalSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site with sitemap.xml listing the address it is served at,
    as `mkdocs serve` does. Material's instant navigation only takes over links to
    pages its sitemap lists (same host, port and path): with the deployed site_url
    in it, every click would be a full reload and a test of instant navigation
    would prove nothing."""

    def do_GET(self) -> None:
        if self.path == f"/{BLANK_PAGE}":
            # An icon of its own, or Chromium asks for /favicon.ico (a 404).
            blank = '<!doctype html><title>Blank</title><link rel="icon" href="data:,">'
            return self.send("text/html", blank)
        if self.path != "/sitemap.xml":
            return super().do_GET()
        sitemap = Path(self.directory, "sitemap.xml").read_text()
        own = sitemap.replace(SITE_URL, f"http://{self.headers['Host']}/")
        self.send("application/xml", own)

    def send(self, content_type: str, body: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser moved on before the file was sent: not an error

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served on 127.0.0.1 (a free port), as MkDocs' dev server would."""
    handler = functools.partial(_LocalSiteHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: `make test` installs it with apt as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=NO_OTHER_HOST
        )
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What a page did that a reader would not want: requests to other hosts (they
    are blocked, so the page must work without them) and console errors."""

    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _watched_page(browser, site_url, log: Callable[[], PageLog]):
    """A page of a new context on the served site that reports requests to other
    hosts or ports and console errors to `log()`, the running test's log."""
    page = browser.new_context(base_url=site_url, viewport=VIEWPORT).new_page()
    own = urlsplit(site_url).netloc

    def request(request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != own:
            log().foreign_requests.append(request.url)

    page.on("request", request)
    page.on(
        "console",
        lambda msg: msg.type == "error" and log().console_errors.append(msg.text),
    )
    page.on("pageerror", lambda err: log().console_errors.append(str(err)))
    return page


def _no_foreign_request_or_console_error(log: PageLog) -> None:
    assert not log.foreign_requests, "requests to other hosts"
    assert not log.console_errors, "console errors"


@dataclass
class ReusedPage:
    browser: object  # playwright's Browser
    site_url: str
    page: object = None  # playwright's Page
    log: PageLog = field(default_factory=PageLog)  # the running test's

    def renew(self) -> None:
        if self.page is not None:
            self.page.context.close()
        self.page = _watched_page(self.browser, self.site_url, lambda: self.log)


@pytest.fixture(scope="session")
def _reused_page(browser, site_url):
    """This test process's one page, which `browser_page` hands every test. A new
    page costs Chromium a renderer process and a cold first load: 0.6 s, twice that
    in CPU, more than most browser tests take."""
    reused = ReusedPage(browser, site_url)
    reused.renew()
    yield reused
    reused.page.context.close()


@pytest.fixture
def browser_page(_reused_page, page_log):
    """The test process's page, on the served site, with empty storage, no
    permissions, no page routes, the VIEWPORT size and the light colour scheme.
    The test fails afterwards if the page asked another host for anything or
    logged a console error. A test that changes the page in other ways that stay
    (init scripts, event listeners, other media features, headers, the clock)
    uses `fresh_browser_page` instead."""
    if _reused_page.page.is_closed():
        _reused_page.renew()
    page = _reused_page.page
    page.context.clear_permissions()
    page.context.clear_cookies()
    page.set_viewport_size(VIEWPORT)
    page.emulate_media(color_scheme="light")
    if page.url != _reused_page.site_url + BLANK_PAGE:  # else the last test left it
        page.goto(BLANK_PAGE)
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    _reused_page.log = page_log
    yield page
    try:
        page.unroute_all()
        page.goto(BLANK_PAGE)  # the test's page is gone: nothing of it logs any more
    except PlaywrightError:
        _reused_page.renew()  # crashed or stuck: the next test gets a new one
    _reused_page.log = PageLog()
    _no_foreign_request_or_console_error(page_log)


@pytest.fixture
def fresh_browser_page(browser, site_url, page_log):
    """A page of its own (own storage) on the served site, checked as browser_page."""
    page = _watched_page(browser, site_url, lambda: page_log)
    yield page
    page.context.close()
    _no_foreign_request_or_console_error(page_log)


@pytest.fixture
def tmp_project(tmp_path) -> Path:
    """A minimal copy of the project (config, hooks, styles, one page) in which a
    test can add broken pages or snippets without touching the real site."""
    for name in ("hooks", "docs/stylesheets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Test page\n")
    write_config(tmp_path)
    return tmp_path
