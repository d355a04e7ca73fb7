"""Never publish the site under the address it is served at locally.

mkdocs.yml reads `site_url` (the canonical links and sitemap.xml) from the
SITE_URL environment variable, which the deployer sets; without it, the site is
built for `make serve`'s address on this machine. That is right for `serve` and a
local build, and wrong anywhere else, so `mkdocs gh-deploy` stops on a site_url
whose host is this machine (the deploy workflow checks its build's sitemap too).
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def refusal(command: str, site_url: str | None) -> str | None:
    """Why `command` must not run with `site_url`, or None if it may."""
    if command != "gh-deploy":
        return None
    host = urlsplit(site_url or "").hostname
    if host is None or host in LOCAL_HOSTS:
        return (
            f"site_url is {site_url!r}, this machine's address: set SITE_URL to "
            "the address the site is published at, e.g. "
            "SITE_URL=https://<owner>.github.io/<repo>/ mkdocs gh-deploy --strict"
        )
    return None
