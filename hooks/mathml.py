"""Formulas become MathML at build time.

`pymdownx.arithmatex` (generic mode) wraps each formula in an `arithmatex` element;
this converts its LaTeX with latex2mathml, so pages need no math JavaScript,
no web fonts and no request to another host. Browsers render MathML natively.
Each formula's MathML is kept in .cache/mathml.json for the next build.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

import cache
import markers

FORMULA_RE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>",
    re.S,
)


class Formulas:
    """Each formula converted once: its MathML kept by the converter's version,
    the display mode and the LaTeX."""

    def __init__(self, store: cache.Store) -> None:
        self.store = store

    def to_mathml(self, latex: str, display: bool) -> str:
        key = cache.key(latex.strip(), str(display), packages=("latex2mathml",))
        mathml = self.store.get(key)
        if mathml is None:
            try:
                mathml = convert(
                    latex.strip(), display="block" if display else "inline"
                )
            except Exception as err:  # latex2mathml raises many types on bad LaTeX
                raise markers.PageError(f"cannot convert a formula: {err}") from err
            self.store.put(key, mathml)
        return mathml

    def convert(self, page_html: str) -> str:
        """The page with every formula in MathML; ValueError names a bad one."""

        def replace(match: re.Match) -> str:
            block = match.group("block") is not None
            latex = match.group("block") if block else match.group("inline")
            mathml = self.to_mathml(html.unescape(latex), block)
            tag = match.group("tag")
            if block:  # it may scroll on a phone, so the keyboard can reach it
                return f'<{tag} class="arithmatex" tabindex="0">{mathml}</{tag}>'
            return f'<{tag} class="arithmatex">{mathml}</{tag}>'

        return FORMULA_RE.sub(replace, page_html)
