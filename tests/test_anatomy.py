"""A page shows a snippet's figure first, its teaching lines, and the plotting and
checks folded; copying the code gives the whole file; search finds prose only."""

import html
import json
import re

import markers
import pytest
from conftest import ROOT
from test_build import build_fails, write_page

from snippets import render_code, split_folds

DATA_COPY = re.compile(r'<div class="snippet-code" data-copy="([^"]*)"')
SNIPPET_TITLE = re.compile(r'<span class="filename">snippets/([^<]+)</span>')


def test_a_cell_marker_starts_a_fold_with_its_title():
    code = "x = 1\nprint(x)\n# %% Checks and figure\nassert x == 1\nplt.show()\n"
    shown, folds = split_folds("page/x.py", code)
    assert shown == "x = 1\nprint(x)\n"
    assert folds == [("Checks and figure", "assert x == 1\nplt.show()\n")]
    assert split_folds("page/x.py", "y = 2\n") == ("y = 2\n", [])


def test_a_fold_without_a_title_is_an_error_naming_the_snippet():
    with pytest.raises(markers.MarkerError, match="snippets/page/x.py: a `# %%`"):
        split_folds("page/x.py", "x = 1\n# %%\nassert x\n")


def test_the_code_block_copies_the_whole_file_and_names_the_folded_lines():
    code = 'x = "<a & b>"\n# %% Checks\nassert x\nassert len(x) == 7\n'
    rendered = render_code("page/x.py", code)
    assert html.unescape(DATA_COPY.search(rendered).group(1)) == code
    assert '??? fold "Checks (2 lines)"' in rendered


def test_every_built_snippet_copies_exactly_its_file(built_site):
    checked = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        copies = DATA_COPY.findall(text)
        titles = SNIPPET_TITLE.findall(text)
        for copy, rel in zip(copies, titles, strict=True):
            assert html.unescape(copy) == (ROOT / "snippets" / rel).read_text(), rel
            checked += 1
    assert checked > 50


def test_a_figure_marker_needs_the_snippet_marker_after_it(tmp_project):
    (tmp_project / "snippets" / "drawn.py").write_text("print(1)\n")
    write_page(tmp_project, "<!-- figure: drawn.py -->\n\nNo code follows.")
    stderr = build_fails(tmp_project)
    assert "index.md: line 3: the figure of drawn.py comes before its code" in stderr


def test_search_indexes_no_code_no_output_and_no_quiz_answer(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    text = "\n".join(doc["text"] for doc in index["docs"])
    for code in ("optimizer.zero_grad()", "import torch", "plt.show()"):
        assert code not in text
    assert "Output with torch" not in text
    # A quiz's answers may repeat the prose; its questions (templates unbound) do not.
    questions = [
        item["question"][:40]
        for quiz in (ROOT / "quiz").glob("*.json")
        if quiz.name != "schema.json"
        for kind in ("flashcards", "choices")
        for item in json.loads(quiz.read_text()).get(kind, [])
        if "{{" not in item["question"][:40]
    ]
    assert len(questions) > 50
    assert [q for q in questions if html.escape(q) in text or q in text] == []
