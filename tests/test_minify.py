"""Code blocks keep their look with fewer elements (hooks/minify.py)."""

import re

import pytest
from playwright.sync_api import expect

import minify
from figure_colours import MATERIAL
from support import ROOT


def test_names_and_spaces_lose_their_spans_and_one_class_shares_one():
    code = (
        '<code><span class="n">lr</span><span class="w"> </span>'
        '<span class="o">=</span><span class="w"> </span><span class="mf">0.1</span>'
        '<span class="p">(</span>'
        '<span class="p">)</span></code>'
    )
    assert minify.fewer_code_elements(code) == (
        '<code>lr <span class="o">=</span> <span class="mf">0.1</span>'
        '<span class="p">()</span></code>'
    )


def test_tokens_of_one_colour_share_a_span_across_the_space_between_them():
    code = (
        '<code><span class="p">)</span><span class="o">.</span> '
        '<span class="p">(</span>'
        '<span class="sa">f</span><span class="s2">"</span><span class="si">{</span>x'
        '<span class="si">}</span><span class="s2">"</span>'
        '<span class="p">)</span>  <span class="c1"># (1) a comment</span></code>'
    )
    assert minify.fewer_code_elements(code) == (
        '<code><span class="p">). (</span>f<span class="s2">"{</span>x'
        '<span class="si">}"</span><span class="p">)</span>  '
        '<span class="c1"># (1) a comment</span></code>'
    )


def test_spans_outside_code_and_other_classes_are_left_alone():
    page = (
        '<p><span class="n">not code</span></p><code><span class="k">def</span></code>'
    )
    assert minify.fewer_code_elements(page) == page


def material_colours() -> dict[str, str]:
    """Pygments class -> the custom property Material's CSS colours it with."""
    css = next((MATERIAL / "stylesheets").glob("main.*.min.css")).read_text()
    colours = {}
    for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
        if not (
            colour := re.fullmatch(r"color:var\(--md-code-hl-([a-z]+)-color\)", body)
        ):
            continue
        for selector in selectors.split(","):
            if selector.startswith(".highlight .") and " " not in selector[11:]:
                colours[selector[12:]] = colour.group(1)
    return colours


def test_tokens_share_a_span_only_where_materials_css_gives_them_one_colour():
    colours = material_colours()
    assert colours["mf"] == "number" and colours["o"] == "operator"  # parsed
    # Punctuation is drawn in the operators' colour: site.css sets both the same.
    one = {"punctuation": "operator"}
    for cls, colour in minify.COLOUR_OF.items():
        assert one.get(colours[cls], colours[cls]) == colour, cls
    site = (ROOT / "docs/stylesheets/site.css").read_text()
    for scheme in ("default", "slate"):
        block = site.split(f'[data-md-color-scheme="{scheme}"] {{', 1)[1].split("}")[0]
        operator = re.search(r"--md-code-hl-operator-color: ([^;]+);", block)
        punctuation = re.search(r"--md-code-hl-punctuation-color: ([^;]+);", block)
        assert operator.group(1) == punctuation.group(1), scheme
    # Unwrapped ones are drawn in the code's own colour, or not coloured at all.
    assert {colours.get(cls, "name") for cls in minify.PLAIN} == {"name"}
    assert all(colours[cls] == "comment" for cls in minify.COMMENTS)


BLOCK = '<div class="highlight"><pre><span></span><code>{}</code></pre></div>'
SHORT = '<span class="kn">import</span> torch\n'
MARKED = (
    '<span class="hll"><span class="n">x</span> <span class="o">=</span> '
    '<span class="mi">1</span>\n</span><span class="hll"><span class="n">y</span>\n'
    "</span>z\n"
)


def test_a_page_colours_its_blocks_but_a_short_first_one_when_read():
    page = minify.fewer_code_elements(BLOCK.format(SHORT) + BLOCK.format(MARKED))
    first, second = page.split("</div>")[:2]
    assert first == BLOCK.format(SHORT).replace("<span></span>", "").removesuffix(
        "</div>"
    )
    # One colour, the marked lines still marked (one after another: one mark),
    # the highlighted code kept for highlight.js.
    assert second == (
        '<div class="highlight"><pre data-widget="highlight"><code>'
        '<span class="hll">x = 1\ny\n</span>z\n</code><template>'
        '<span class="hll">x <span class="o">=</span> <span class="mi">1</span>\n'
        "y\n</span>z\n</template></pre>"
    )
    long_first = minify.fewer_code_elements(BLOCK.format(SHORT * 200))
    assert 'data-widget="highlight"' in long_first


def test_a_block_with_a_code_annotation_stays_coloured_for_material():
    annotated = '<span class="n">x</span>  <span class="c1"># (1)</span>\n'
    page = minify.fewer_code_elements(BLOCK.format(SHORT) + BLOCK.format(annotated))
    assert "<template>" not in page


@pytest.mark.browser
def test_a_code_block_is_coloured_when_a_reader_comes_to_it(browser_page):
    browser_page.goto("mistakes/", wait_until="load")
    later = browser_page.locator('.md-content pre[data-widget="highlight"]')
    last, fold = later.last, browser_page.locator("details.fold pre").first
    assert later.count() > 10
    # Far below the first screen, and in a closed fold: one colour for now.
    text = last.locator("code").text_content()
    expect(last.locator("template")).to_have_count(1)
    expect(last.locator("code span:not(.hll)")).to_have_count(0)
    last.scroll_into_view_if_needed()
    expect(last.locator("template")).to_have_count(0)
    assert last.locator("code span").count() > 10
    assert last.locator("code").text_content() == text  # what copy copies
    fold.locator("xpath=ancestor::details").scroll_into_view_if_needed()
    browser_page.wait_for_timeout(100)
    expect(fold.locator("template")).to_have_count(1)  # on screen, but closed
    fold.locator("xpath=ancestor::details/summary").click()
    expect(fold.locator("template")).to_have_count(0)
    assert fold.locator("code span").count() > 10
