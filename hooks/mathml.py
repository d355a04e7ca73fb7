"""MkDocs hook: formulas become MathML at build time.

`pymdownx.arithmatex` (generic mode) wraps each formula in an `arithmatex` element;
this hook converts its LaTeX with latex2mathml, so pages need no math JavaScript,
no web fonts and no request to another host. Browsers render MathML natively.
Each formula's MathML is kept in .cache/mathml.json for the next build.
"""

from __future__ import annotations

import html
import re
from importlib.metadata import version

import markers
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

VERSION = version("latex2mathml")
_cache = markers.BuildCache("mathml.json")  # (version, display, LaTeX) -> MathML

FORMULA_RE = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>",
    re.S,
)


def to_mathml(latex: str, display: bool) -> str:
    key = repr((VERSION, display, latex.strip()))
    mathml = _cache.get(key)
    if mathml is None:
        mathml = convert(latex.strip(), display="block" if display else "inline")
        _cache.put(key, mathml)
    return mathml


def convert_formulas(page_html: str) -> str:
    def replace(match: re.Match) -> str:
        block = match.group("block") is not None
        latex = html.unescape(match.group("block") if block else match.group("inline"))
        mathml = to_mathml(latex, block)
        tag = match.group("tag")
        if block:  # it may scroll on a phone, so the keyboard can reach it
            return f'<{tag} class="arithmatex" tabindex="0">{mathml}</{tag}>'
        return f'<{tag} class="arithmatex">{mathml}</{tag}>'

    return FORMULA_RE.sub(replace, page_html)


def on_config(config):
    _cache.load(config)
    return config


def on_page_content(html_text: str, page, config, files) -> str:
    try:
        return convert_formulas(html_text)
    except Exception as err:  # latex2mathml raises many types on bad LaTeX
        raise PluginError(
            f"{page.file.src_uri}: cannot convert a formula: {err}"
        ) from err


def on_post_build(config) -> None:
    _cache.save()
