"""Shared fixtures: a strict build of the site, that build served on localhost, and
headless Chromium pages that record requests to other hosts and console errors."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, SITE_URL, mkdocs_build, skip_or_fail

BACKGROUND_BUILD = "LR_SITE_TEST_BUILD"  # folder of the build started at configure


def pytest_configure(config) -> None:
    """On a whole-suite run, start the site build at once in the background, so the
    tests that need no build run meanwhile (they are ordered first, below). Only
    the main process starts it; pytest-xdist's workers inherit the folder."""
    if hasattr(config, "workerinput") or config.args != config.getini("testpaths"):
        return
    folder = Path(tempfile.mkdtemp(prefix="lr-site-build-"))
    os.environ[BACKGROUND_BUILD] = str(folder)
    script = '"$@" > "$0/build.log" 2>&1; echo $? > "$0/build.rc"'
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir"]
    config.site_build = subprocess.Popen(
        ["sh", "-c", script, folder, *command, folder / "site"],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
    )


def pytest_unconfigure(config) -> None:
    if build := getattr(config, "site_build", None):
        build.kill()
        build.wait()
        shutil.rmtree(os.environ.pop(BACKGROUND_BUILD), ignore_errors=True)


def pytest_collection_modifyitems(items) -> None:
    """Tests that need the built site last: the others run while it builds."""
    items.sort(key=lambda item: "built_site" in getattr(item, "fixturenames", ()))


def wait_for_background_build(folder: Path) -> Path:
    rc_file = folder / "build.rc"
    deadline = time.monotonic() + 900
    while not rc_file.exists() or not rc_file.read_text().strip():
        if time.monotonic() > deadline:
            pytest.fail(f"the site build in {folder} did not finish in 900 s")
        time.sleep(0.2)
    if rc_file.read_text().strip() != "0":
        log = (folder / "build.log").read_text()[-6000:]
        pytest.fail(f"mkdocs build --strict failed:\n{log}")
    return folder / "site"


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory, worker_id) -> Path:
    """A temporary folder of this test run, shared by pytest-xdist's workers."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def built_site(run_dir) -> Path:
    """The whole site, built with --strict into a temporary folder (snippet results
    come from the project's cache when their sources are unchanged). Under
    pytest-xdist the first worker builds it and the others wait and share it."""
    if BACKGROUND_BUILD in os.environ:
        return wait_for_background_build(Path(os.environ[BACKGROUND_BUILD]))
    site, failure = run_dir / "built-site", run_dir / "built-site.failed"
    with FileLock(run_dir / "built-site.lock"):
        if not site.exists() and not failure.exists():
            build = mkdocs_build(ROOT / "mkdocs.yml", site)
            if build.returncode != 0:
                failure.write_text(build.stderr[-6000:])
    if failure.exists():
        pytest.fail(f"mkdocs build --strict failed:\n{failure.read_text()}")
    return site


@pytest.fixture(scope="session")
def output_of(built_site):
    """A snippet's printed output as the site build ran it (read from the snippet
    cache the build filled, so no snippet runs twice for this)."""
    import snippet_worker

    return lambda rel: snippet_worker.run_snippet(ROOT / "snippets" / rel).output


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
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.split("\nplugins:")[0] + "\nplugins:\n  - search\n"
    hooks = "\nhooks:\n  - hooks/snippets.py\n  - hooks/mathml.py\n"
    markdown = "\nmarkdown_extensions:\n  - attr_list\n  - md_in_html\n"
    markdown += (
        "  - pymdownx.superfences\n  - pymdownx.arithmatex:\n      generic: true\n"
    )
    (tmp_path / "mkdocs.yml").write_text(config + hooks + markdown)
    return tmp_path
