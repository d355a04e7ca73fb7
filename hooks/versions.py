"""MkDocs hook: the footer says which versions built the site, read from the
installed packages: what the pages teach is torch's behaviour in that version."""

from __future__ import annotations

import platform
from importlib.metadata import version


def built_with() -> str:
    return (
        f"Built with PyTorch {version('torch')}, Material for MkDocs "
        f"{version('mkdocs-material')} and Python {platform.python_version()}."
    )


def on_config(config):
    config.copyright = " ".join(filter(None, [config.copyright, built_with()]))
    return config
