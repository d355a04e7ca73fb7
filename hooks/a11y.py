"""Give Material's two unnamed ARIA widgets an accessible name.

axe-core reports them as serious (aria-dialog-name, aria-progressbar-name). The
exact markup is matched, so a Material upgrade that changes it fails the build here
instead of silently undoing the fix.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

NAMES = {
    '<div class="md-search" data-md-component="search" role="dialog">': "Search",
    '<div class="md-progress" data-md-component="progress" role="progressbar">': (
        "Loading the next page"
    ),
}


def name_widgets(page_html: str) -> str:
    for tag, label in NAMES.items():
        if tag not in page_html:
            raise PluginError(f"hooks/a11y.py: Material no longer writes {tag!r}")
        page_html = page_html.replace(tag, f'{tag[:-1]} aria-label="{label}">')
    return page_html
