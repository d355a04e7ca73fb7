"""Numbers from a snippet's run, written into a page's prose by the build.

A page writes `{{ stem.name }}`, or `{{ stem.name:.3g }}` with a Python format
spec: the value `name` that snippets/<page>/<stem>.py left at module level when the
build ran it. `{{ stem.name[0] }}` and `{{ stem.name[-1] }}` pick from a list.
A quiz names the snippets of its page the same way. So the prose says what the run
printed on the machine that built the page, and a reference to a value the run did
not produce stops the build, naming the page and the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markers

OPEN = "{{"
REFERENCE_RE = re.compile(r"\{\{(.*?)\}\}")
BODY_RE = re.compile(
    r"\s*(?P<stem>[A-Za-z_][\w-]*)\.(?P<name>[A-Za-z_]\w*)"
    r"(?P<index>(?:\[-?\d+\])*)(?::(?P<spec>[^{}]*?))?\s*"
)


class BindError(markers.PageError):
    """A reference that is malformed, or names a value no run produced."""


Values = Callable[[str], dict]  # snippet stem -> that snippet's values


def _value(body: str, values_of: Values) -> str:
    match = BODY_RE.fullmatch(body)
    if not match:
        raise BindError(
            f"malformed value reference {OPEN}{body}}}}}: write "
            f"{OPEN} snippet.name }}}} or {OPEN} snippet.name:.3g }}}}"
        )
    stem, name, spec = match["stem"], match["name"], match["spec"] or ""
    values = values_of(stem)
    if name not in values:
        known = ", ".join(sorted(values)) or "none"
        raise BindError(f"{stem}.py left no value {name!r} (it has: {known})")
    value = values[name]
    for index in re.findall(r"-?\d+", match["index"]):
        if not isinstance(value, list) or not -len(value) <= int(index) < len(value):
            raise BindError(f"{stem}.{name}{match['index']}: no item [{index}]")
        value = value[int(index)]
    if isinstance(value, float) and not spec:  # repr can print 0.30000000000000004
        raise BindError(f"{stem}.{name} is a float ({value!r}): give a format, :.3g")
    try:
        return format(value, spec)
    except (ValueError, TypeError) as err:
        message = f"{stem}.{name}: cannot format {value!r} as {spec!r}: {err}"
        raise BindError(message) from None


def bind(text: str, values_of: Values) -> str:
    """`text` with every reference replaced by its formatted value."""
    bound = REFERENCE_RE.sub(lambda m: _value(m.group(1), values_of), text)
    if OPEN in bound:  # an opening with no closing
        start = bound.index(OPEN)
        raise BindError(f"unclosed value reference: {bound[start : start + 40]!r}")
    return bound


def bind_page(markdown: str, values_of: Values) -> str:
    """The page with every reference outside fenced code bound; BindError names the
    line. Fenced code is left as written: it is code, not prose."""
    lines = markdown.splitlines()
    for number, line in markers.lines_outside_fences(markdown):
        if OPEN in line:
            try:
                lines[number - 1] = bind(line, values_of)
            except BindError as err:
                raise BindError(f"line {number}: {err}") from None
    return "\n".join(lines) + "\n"


def bind_strings(data: object, values_of: Values, path: str = "$") -> object:
    """Every string in JSON-like `data` bound; BindError names the JSON path."""
    if isinstance(data, str):
        try:
            return bind(data, values_of)
        except BindError as err:
            raise BindError(f"{path}: {err}") from None
    if isinstance(data, list):
        return [bind_strings(v, values_of, f"{path}[{n}]") for n, v in enumerate(data)]
    if isinstance(data, dict):
        return {k: bind_strings(v, values_of, f"{path}.{k}") for k, v in data.items()}
    return data


def values_for(folder: str, ran: dict[str, dict]) -> Values:
    """A lookup of the values of the snippets in snippets/<folder>/ that ran; `ran`:
    snippet path under snippets/ -> its values."""

    def values_of(stem: str) -> dict:
        rel = f"{folder}/{stem}.py"
        if rel not in ran:
            raise BindError(
                f"no snippet {stem}.py in snippets/{folder}/ ran in this build (a "
                f"page binds the snippets of its own folder, and a page must show them)"
            )
        return ran[rel]

    return values_of
