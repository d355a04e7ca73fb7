"""The signature hook: `<!-- signature: dotted.Name -->` becomes the real signature."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
import torch

import cache
import markers
import signatures
from support import mkdocs_build

STEPLR = "torch.optim.lr_scheduler.StepLR"


def _parsed(rendered: str) -> ast.arguments:
    """The parameters of a rendered signature, read back as Python source."""
    call = rendered.strip().split("(", 1)[1]
    return ast.parse(f"def f({call}: pass").body[0].args


def _check_same(rendered: str, signature: inspect.Signature) -> None:
    args = _parsed(rendered)
    shown = args.posonlyargs + args.args + args.kwonlyargs
    expected = list(signature.parameters.values())
    assert [a.arg for a in shown] == [p.name for p in expected]
    defaults = dict(
        zip(
            [a.arg for a in (args.posonlyargs + args.args)][::-1],
            args.defaults[::-1],
            strict=False,
        )
    )
    defaults.update(
        {
            a.arg: d
            for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
            if d is not None
        }
    )
    for arg, param in zip(shown, expected, strict=True):
        if param.default is inspect.Parameter.empty:
            assert arg.arg not in defaults, arg.arg
        else:
            assert ast.literal_eval(defaults[arg.arg]) == param.default, arg.arg
        if param.annotation is inspect.Parameter.empty:
            assert arg.annotation is None
        else:
            assert ast.unparse(arg.annotation) == ast.unparse(
                ast.parse(param.annotation, mode="eval").body
            )


@pytest.mark.parametrize(
    "dotted",
    [
        STEPLR,
        "torch.optim.lr_scheduler.OneCycleLR",
        "torch.optim.lr_scheduler.ReduceLROnPlateau",
        "torch.optim.lr_scheduler.ChainedScheduler",
        "torch.optim.swa_utils.SWALR",
    ],
)
def test_signature_shown_is_the_installed_one(dotted):
    obj = signatures.resolve(dotted)
    _check_same(signatures.format_signature(dotted), inspect.signature(obj))


def test_defaults_are_the_real_ones_not_a_copy():
    text = signatures.format_signature(STEPLR)
    assert "gamma: float = 0.1" in text
    assert text.startswith(f"{STEPLR}(")
    assert "'" not in text  # string annotations are shown unquoted


def test_keyword_only_and_positional_only_separators_survive():
    def f(a, /, b, *, c=1): ...

    assert signatures.parameter_texts(inspect.signature(f)) == [
        "a",
        "/",
        "b",
        "*",
        "c=1",
    ]


def test_marker_becomes_a_python_fence_titled_with_the_torch_version():
    page = f"# StepLR\n\n<!-- signature: {STEPLR} -->\n\nText.\n"
    out = render_signatures(page)
    assert "<!-- signature" not in out
    assert f'```python title="Signature in torch {torch.__version__}"\n' in out
    assert signatures.format_signature(STEPLR) in out
    assert out.endswith("Text.\n")


def test_marker_inside_fenced_code_is_left_alone():
    page = f"```text\n<!-- signature: {STEPLR} -->\n```\n"
    out = render_signatures(page)
    assert out == page


@pytest.mark.parametrize(
    "dotted",
    [
        "torch.optim.lr_scheduler.NoSuchLR",
        "no_such_module.StepLR",
        "torch.optim.lr_scheduler.StepLR.",
        "torch.optim.lr scheduler",
    ],
)
def test_unknown_name_is_an_error_naming_it(dotted):
    page = f"<!-- signature: {dotted} -->\n"
    with pytest.raises(markers.MarkerError) as err:
        render_signatures(page)
    assert repr(dotted) in str(err.value)


def test_object_without_a_signature_is_an_error():
    with pytest.raises(markers.MarkerError, match="math.pi"):
        signatures.format_signature("math.pi")


def render_signatures(page: str) -> str:
    """The page with its signature markers rendered, as the build does."""
    store = cache.Store(Path("/nonexistent/signatures.json"))  # never saved
    return markers.replace_markers(
        page, {"signature": signatures.Signatures(store).render}
    )


# ------------------------------------------------------- in a real MkDocs build


def _project_with_page(tmp_project: Path, page: str) -> Path:
    (tmp_project / "docs" / "index.md").write_text(page)
    return tmp_project / "mkdocs.yml"  # written by tmp_project


def test_build_shows_the_signature_with_its_defaults(tmp_project, tmp_path):
    page = f"# StepLR\n\n<!-- signature: {STEPLR} -->\n"
    config = _project_with_page(tmp_project, page)
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    html = (tmp_path / "site" / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)
    assert "torch.optim.lr_scheduler.StepLR(" in text
    assert "gamma: float = 0.1" in text
    assert f"Signature in torch {torch.__version__}" in text


def test_build_fails_on_an_unknown_scheduler_name(tmp_project, tmp_path):
    page = "# Typo\n\n<!-- signature: torch.optim.lr_scheduler.StepLr -->\n"
    config = _project_with_page(tmp_project, page)
    build = mkdocs_build(config, tmp_path / "site")
    assert build.returncode != 0
    assert "index.md" in build.stderr
    assert "has no 'StepLr'" in build.stderr
