"""The quiz files, quiz/<page>.json: loaded and checked (against quiz/schema.json,
then for what a schema cannot say: an answer index within its options, ids unique
in the file), their `{{ snippet.value }}` bound to the runs of the page's
snippets, and each drill's figure resolved. It uses no MkDocs API: a problem is a
QuizError, which names the file, the JSON path and what is wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import cache
import markers
import values

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

REVIEW = "review"  # `<!-- quiz: review -->`: every question of the site
KINDS = ("flashcards", "choices", "explain")  # in the order a page shows them
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")


class QuizError(Exception):
    """A quiz file that is not valid, or a marker naming no quiz file."""


def validator(quiz_dir: Path) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        schema = json.loads((quiz_dir / "schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as err:
        raise QuizError(f"quiz/schema.json: {err}") from None
    return Draft202012Validator(schema)


def _message(error) -> str:
    if error.validator == "anyOf" and not error.absolute_path:
        return "needs at least one of " + ", ".join(repr(kind) for kind in KINDS)
    text = error.message  # it may quote a whole item: keep the start
    return text if len(text) <= 200 else text[:197] + "..."


def problems(data: object, check: Draft202012Validator) -> list[str]:
    """What is wrong with one quiz, each as '<JSON path>: <what>'; [] if nothing."""
    errors = sorted(check.iter_errors(data), key=lambda e: e.json_path)
    found = [f"{e.json_path}: {_message(e)}" for e in errors]
    if found:  # the checks below need the shape the schema promises
        return found
    first: dict[str, str] = {}  # id -> JSON path where it first appears
    for kind in KINDS:
        for number, item in enumerate(data.get(kind, [])):
            path = f"$.{kind}[{number}]"
            if item["id"] in first:
                found.append(
                    f"{path}.id: duplicate id {item['id']!r} "
                    f"(first at {first[item['id']]})"
                )
            first.setdefault(item["id"], f"{path}.id")
            if kind != "choices":
                continue
            count = len(item["options"])
            if item["answer"] >= count:
                found.append(
                    f"{path}.answer: {item['answer']} is out of range: "
                    f"{count} options, so 0 to {count - 1}"
                )
            feedback = item.get("feedback")
            if feedback is not None and len(feedback) != count:
                found.append(
                    f"{path}.feedback: {len(feedback)} lines for {count} options "
                    "(one per option, in the same order)"
                )
    return found


def load_quiz(path: Path, check: Draft202012Validator, name: str) -> dict:
    """One quiz file, checked; QuizError names the file, the JSON path and what."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise QuizError(
            f"{name}: not JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise QuizError(f"{name}: cannot read it: {err}") from None
    found = problems(data, check)
    if found:
        raise QuizError("\n".join(f"{name}: {problem}" for problem in found))
    return data


def _passed_key(rules: str | None, path: Path) -> str | None:
    """The key of a quiz file's text under `rules`, the key of what checks it (the
    schema and this file); None without rules or if the file cannot be read (then
    validator or load_quiz says why)."""
    try:
        return rules and cache.key(rules, path)
    except OSError:
        return None


def load_all(quiz_dir: Path, passed: cache.Store | None = None) -> dict[str, dict]:
    """Every quiz under quiz_dir by slug; one QuizError listing every problem. A
    file whose text passed under the same rules before (in `passed`) is read, not
    checked again."""
    if not quiz_dir.is_dir():
        return {}
    # Schema and quizzes are checked together: a file that passed under these rules
    # was checked by a valid schema, so only a file not seen needs a validator.
    has_schema = (quiz_dir / "schema.json").is_file()  # validator() says if not
    check = validator(quiz_dir) if passed is None or not has_schema else None
    # What checks a quiz: keyed once here, then with each file's text below.
    rules = (
        cache.key(Path(__file__), quiz_dir / "schema.json") if check is None else None
    )
    quizzes, errors = {}, []
    for path in sorted(quiz_dir.rglob("*.json")):
        rel = path.relative_to(quiz_dir).as_posix()
        if rel == "schema.json":
            continue
        slug, name = rel.removesuffix(".json"), f"quiz/{rel}"
        if not SLUG_RE.fullmatch(slug) or slug == REVIEW:
            errors.append(
                f"{name}: bad file name: use the page's path in lowercase words "
                f"and hyphens (and not {REVIEW!r}, which names the review deck)"
            )
            continue
        key = _passed_key(rules, path)
        if key and passed.get(key):
            quizzes[slug] = json.loads(path.read_text(encoding="utf-8"))
            continue
        check = check or validator(quiz_dir)
        try:
            quizzes[slug] = load_quiz(path, check, name)
        except QuizError as err:
            errors.append(str(err))
            continue
        if key:
            passed.put(key, True)
    if errors:
        raise QuizError("invalid quiz data:\n" + "\n".join(errors))
    return quizzes


def bind_values(slug: str, quiz: dict, values_of: values.Values) -> dict:
    """The quiz with `{{ snippet.value }}` in its text bound to the runs of its
    page's snippets (`values_of`: snippets/<slug>/), which ran already."""
    try:
        return values.bind_strings(quiz, values_of)
    except values.BindError as err:
        raise QuizError(f"quiz/{slug}.json: {err}") from None


def resolve_figures(slug: str, quiz: dict, figures: dict[str, list[dict]]) -> dict:
    """The quiz with each drill's `"figure": "page/x.py 2"` replaced by that figure
    of the build's run (`figures`: Snippets.figures): its light and dark SVG and
    their phone variants (site paths), alt text, and both sizes. QuizError names
    the file, the item and what is wrong."""
    choices = []
    for number, item in enumerate(quiz.get("choices", [])):
        if "figure" in item:
            ref = item["figure"]
            rel, _, which = ref.partition(" ")
            where = f"quiz/{slug}.json: $.choices[{number}] (id {item['id']!r})"
            if rel not in figures:
                # The build ran every snippet a drill names that exists.
                missing = f"snippets/{rel} does not exist"
                raise QuizError(f"{where}: figure {ref!r}: {missing}")
            drawn = figures[rel]
            if not 1 <= int(which) <= len(drawn):
                raise QuizError(
                    f"{where}: figure {ref!r}: snippets/{rel} draws "
                    f"{len(drawn)} figure(s)"
                )
            item = item | {"figure": dict(drawn[int(which) - 1])}
        choices.append(item)
    return quiz | {"choices": choices} if "choices" in quiz else quiz


def quiz_uses(pages: dict[str, str], quizzes: dict[str, dict]) -> dict[str, str]:
    """Quiz slug -> first page naming it; QuizError for a marker naming no quiz."""
    used: dict[str, str] = {}
    for src, markdown in pages.items():
        for marker in markers.find_markers(markdown):
            if marker.kind != "quiz":
                continue
            if marker.arg != REVIEW and marker.arg not in quizzes:
                raise QuizError(
                    f"{src}: line {marker.line}: quiz {marker.arg!r} does not exist "
                    f"(expected quiz/{marker.arg}.json)"
                )
            used.setdefault(marker.arg, src)
    return used
