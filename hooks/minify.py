"""The site's own JavaScript and CSS are served minified, and code
blocks with fewer elements.

The sources in docs/ stay readable; `mkdocs build` writes minified copies with
rjsmin and rcssmin (our JS+CSS budget is 70 KB). `mkdocs serve` leaves them as
written, so a contributor debugs the code they edit.

Pygments wraps every token of a code block in a <span>: thousands of elements on a
code-heavy page, main-thread time on a phone (issue 35: every page under 2,000
elements, tests/test_site_quality.py). The page looks the same with fewer:
- a token Material's theme draws in the code's own colour (a name, white space,
  True/None, an f-string's `f`, a dunder) loses its span;
- neighbouring tokens drawn in one colour share one span, white space between them
  included (an operator and punctuation, `).` or `"{`): COLOUR_OF says which;
- Pygments' empty <span></span> before each <code> goes;
- highlighted lines one after another share one highlight;
- every code block but a page's short first one is served in one colour (its
  highlighted lines marked), its highlighted HTML in a <template> that
  docs/javascripts/highlight.js puts in when the block comes near the screen, or
  a fold holding it opens: a reader sees every block coloured, and a page loads
  with a few elements per block instead of hundreds of spans. Without JavaScript
  a block reads, copies and marks its lines the same, in one colour.
"""

from __future__ import annotations

import re
from pathlib import Path

import rcssmin
import rjsmin

# Pygments' token classes by the colour Material's CSS gives them (the custom
# property, main.css), in both palettes: docs/stylesheets/site.css gives operators
# and punctuation one colour in each. tests/test_minify.py reads Material's CSS
# for it. A class missing here keeps its own span.
COLOUR_OF = {
    **dict.fromkeys("o ow p".split(), "operator"),
    **dict.fromkeys("cpf l s s1 s2 sb sc si ss".split(), "string"),
    **dict.fromkeys("cp se sh sr sx".split(), "special"),
    **dict.fromkeys("il m mb mf mh mi mo".split(), "number"),
    **dict.fromkeys("k kd kn kp kr kt".split(), "keyword"),
    **dict.fromkeys("nd ni nl nt".split(), "keyword"),  # codespell:ignore nd
    **dict.fromkeys("bp nb no".split(), "constant"),
    **dict.fromkeys("nc ne nf nn".split(), "function"),
    **dict.fromkeys("na nv vc vg vi".split(), "variable"),
    **dict.fromkeys("ge gh go gp gr gs gt gu".split(), "generic"),
}
# Comments share their colour with operators, but each keeps its own class, so
# Material's code annotations still find their markers only in comments.
COMMENTS = set("c c1 ch cm cs sd".split())
# Drawn in the code's own colour: Material colours `n` and `kc` with
# --md-code-hl-name-color, which is --md-code-fg-color, and the others not at all.
PLAIN = set("n w kc sa fm vm dl".split())

TOKEN_RE = re.compile(r'<span class="(\w+)">([^<]*)</span>|([^<]+)|(<[^>]*>)')
CODE_RE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
EMPTY_SPAN = "<pre><span></span><code"
# Highlighted lines one after another: one block, one background, one bar.
NEXT_LINE_MARKED = '\n</span><span class="hll">'
BLOCK_RE = re.compile(
    r'(<div class="(?:language-\w+ )?highlight">'
    r'(?:<span class="filename">[^<]*</span>)?<pre)>'
    r"(<code\b[^>]*>)(.*?)</code></pre>",
    re.S,
)
COLOURED_RE = re.compile(r'<span class="(?!hll")\w+">([^<]*)</span>')
SHORT_FIRST_BLOCK = 150  # coloured spans: the rule's code has about 60
ANNOTATION_RE = re.compile(r'<span class="c\w*">[^<]*\(\d+\)')


def _colour(cls: str) -> str | None:
    return cls if cls in COMMENTS else COLOUR_OF.get(cls)


def _fewer_token_spans(code: str) -> str:
    # pieces: [colour, class, text] for text (colour None: plain), str for a tag
    pieces: list[list | str] = []
    for match in TOKEN_RE.finditer(code):
        cls, text, plain, tag = match.groups()
        kept = cls is not None and cls not in PLAIN and not _colour(cls)
        if tag is not None or kept:  # another tag, or a class left as it is
            pieces.append(match.group(0))
            continue
        colour = None if plain is not None or cls in PLAIN else _colour(cls)
        text = plain if plain is not None else text
        last = pieces[-1] if pieces else None
        if isinstance(last, list) and last[0] == colour:
            last[2] += text
        elif (
            colour is not None
            and isinstance(last, list)
            and last[0] is None
            and last[2].isspace()
            and len(pieces) > 1
            and isinstance(pieces[-2], list)
            and pieces[-2][0] == colour
        ):
            pieces.pop()
            pieces[-1][2] += last[2] + text
        else:
            pieces.append([colour, cls, text])
    return "".join(
        piece
        if isinstance(piece, str)
        else piece[2]
        if piece[0] is None
        else f'<span class="{piece[1]}">{piece[2]}</span>'
        for piece in pieces
    )


def _highlighted_later(page: str) -> str:
    """The page with each code block in one colour, its highlighted HTML in a
    <template> that highlight.js puts in when the block comes near the screen. A
    page's first block, when short (the rule's code, on the first screen), and a
    block with a code annotation (Material reads them at load) stay as they are."""
    blocks = 0

    def later(match: re.Match) -> str:
        nonlocal blocks
        start, code, highlighted = match.groups()
        blocks += 1
        plain, spans = COLOURED_RE.subn(r"\1", highlighted)
        first_and_short = blocks == 1 and spans <= SHORT_FIRST_BLOCK
        if first_and_short or not spans or ANNOTATION_RE.search(highlighted):
            return match.group(0)
        return (
            f'{start} data-widget="highlight">{code}{plain}'
            f"</code><template>{highlighted}</template></pre>"
        )

    return BLOCK_RE.sub(later, page)


def fewer_code_elements(html: str) -> str:
    """The page's code blocks drawn as before with fewer elements (see above)."""
    html = CODE_RE.sub(lambda match: _fewer_token_spans(match.group(0)), html)
    html = html.replace(EMPTY_SPAN, "<pre><code").replace(NEXT_LINE_MARKED, "\n")
    return _highlighted_later(html)


def minify(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    small = rjsmin.jsmin(text) if path.suffix == ".js" else rcssmin.cssmin(text)
    path.write_text(small, encoding="utf-8")


def minify_assets(config) -> None:
    """The site's own JS and CSS in the built site, minified in place."""
    own = [*config.extra_css, *(str(script) for script in config.extra_javascript)]
    for uri in own:
        minify(Path(config.site_dir) / uri)
