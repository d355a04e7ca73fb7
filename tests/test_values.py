"""Values from a run, bound into prose and quiz text: what a reference becomes, and
how a wrong one stops the build."""

import pytest

import snippet_runner
import values

RUN = {"final_loss": 0.59432, "steps": 89, "cuts": [64, 136], "name": "cosine"}


def values_of(stem: str) -> dict:
    return values.values_for("page", {"page/train.py": RUN})(stem)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("ends at {{ train.final_loss:.3g }}.", "ends at 0.594."),
        ("{{train.steps}} of 100", "89 of 100"),
        (
            "after epochs {{ train.cuts[0] }} and {{ train.cuts[-1] }}",
            "after epochs 64 and 136",
        ),
        ("{{ train.final_loss:.1e }}", "5.9e-01"),
        ("{{ train.final_loss:g }}", "0.59432"),
        ("{{ train.name }} wins", "cosine wins"),
        ("`lr = {{ train.final_loss:.2f }}` in code", "`lr = 0.59` in code"),
        ("no reference: {a} {b}", "no reference: {a} {b}"),
    ],
)
def test_a_reference_becomes_the_formatted_value_of_the_run(text, bound):
    assert values.bind(text, values_of) == bound


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "{{ train.typo }}",
            "train.py left no value 'typo' (it has: cuts, final_loss, name, steps)",
        ),
        ("{{ other.final_loss }}", "no snippet other.py in snippets/page/ ran"),
        ("{{ train.final_loss }}", "train.final_loss is a float (0.59432): give a"),
        ("{{ final_loss }}", "malformed value reference {{ final_loss }}"),
        ("{{ train.cuts[2] }}", "train.cuts[2]: no item [2]"),
        ("{{ train.steps[0] }}", "train.steps[0]: no item [0]"),
        ("{{ train.name:.3f }}", "train.name: cannot format 'cosine' as '.3f'"),
        ("at {{ train.final_loss", "unclosed value reference: '{{ train.final_loss'"),
    ],
)
def test_a_wrong_reference_is_an_error_that_says_what_is_wrong(text, error):
    with pytest.raises(values.BindError) as raised:
        values.bind(text, values_of)
    assert error in str(raised.value)


def test_a_page_is_bound_outside_fenced_code_and_errors_name_the_line():
    page = "# T\n\nLoss {{ train.final_loss:.2f }}.\n\n```py\nx = '{{ a.b }}'\n```\n"
    assert values.bind_page(page, values_of) == page.replace(
        "{{ train.final_loss:.2f }}", "0.59"
    )
    with pytest.raises(values.BindError, match=r"^line 3: train.py left no value"):
        values.bind_page("# T\n\n{{ train.nope }}\n", values_of)


def test_quiz_text_is_bound_and_errors_name_the_json_path():
    quiz = {"choices": [{"question": "Why {{ train.steps }}?", "answer": 1}]}
    bound = values.bind_strings(quiz, values_of)
    assert bound == {"choices": [{"question": "Why 89?", "answer": 1}]}
    with pytest.raises(values.BindError, match=r"^\$\.choices\[0\]\.question: "):
        values.bind_strings({"choices": [{"question": "{{ x.y }}"}]}, values_of)


def test_a_snippet_leaves_its_public_numbers_strings_and_lists(tmp_path):
    path = tmp_path / "snippets" / "demo.py"
    path.parent.mkdir()
    path.write_text(
        "import torch\n"
        "loss = torch.tensor(0.25)\n"  # a 0-d tensor becomes its number
        "losses = [1.0, torch.tensor(0.5)]\n"
        "steps, label, flag = 3, 'sgd', True\n"
        "_private = 1\n"
        "weights = torch.ones(3)\n"  # not a number: left out
        "def helper(): pass\n"
    )
    result = snippet_runner.run_snippet(path, root=tmp_path, use_cache=False)
    assert result.values == {
        "loss": 0.25,
        "losses": [1.0, 0.5],
        "steps": 3,
        "label": "sgd",
        "flag": True,
    }


def test_a_quiz_naming_a_value_no_run_left_is_an_error_naming_the_file(monkeypatch):
    import quiz_data

    ran = values.values_for("too-high", {"too-high/train.py": RUN})
    card = {"question": "Where?", "answer": "At {{ train.steps }}."}
    assert quiz_data.bind_values("too-high", {"flashcards": [card]}, ran) == {
        "flashcards": [{"question": "Where?", "answer": "At 89."}]
    }
    bad = {"flashcards": [{"answer": "{{ train.nope }}"}]}
    with pytest.raises(
        quiz_data.QuizError, match=r"^quiz/too-high.json: \$.flashcards"
    ):
        quiz_data.bind_values("too-high", bad, ran)
