"""Shared fixtures: a strict build of the site, that build served on localhost, and
headless Chromium pages that record requests to other hosts and console errors."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock
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
        if self.path != "/sitemap.xml":
            return super().do_GET()
        sitemap = Path(self.directory, "sitemap.xml").read_text()
        body = sitemap.replace(SITE_URL.group(1), f"http://{self.headers['Host']}/")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
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
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
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


@pytest.fixture
def browser_page(browser, site_url, page_log):
    """A fresh page (own storage) on the served site. The test fails afterwards if
    the page asked another host for anything or logged a console error."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    own_host = urlsplit(site_url).netloc

    def route(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            page_log.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda msg: msg.type == "error" and page_log.console_errors.append(msg.text),
    )
    page.on("pageerror", lambda err: page_log.console_errors.append(str(err)))
    yield page
    context.close()
    assert not page_log.foreign_requests, "requests to other hosts"
    assert not page_log.console_errors, "console errors"


@pytest.fixture
def tmp_project(tmp_path) -> Path:
    """A minimal copy of the project (config, hooks, styles, one page) in which a
    test can add broken pages or snippets without touching the real site."""
    for name in ("hooks", "docs/stylesheets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Test page\n")
    write_config(tmp_path, hooks=["snippets.py", "mathml.py"])
    return tmp_path
