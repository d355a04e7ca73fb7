"""`<!-- signature: torch.optim.lr_scheduler.StepLR -->` becomes the
signature of that class or function, read with `inspect.signature` from the installed
library at build time, so the parameters and defaults a page shows never drift.

The result is a ```` ```python ```` fence in the generated Markdown only: the page
source keeps the marker, so `pytest --codeblocks` never sees (or runs) it.
"""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import cache
import markers

MAX_ONE_LINE = 80  # a longer signature gets one parameter per line


class _Annotation:
    """An annotation shown as written in the source: `int`, not `'int'`.

    The scheduler modules use `from __future__ import annotations`, so
    `inspect.signature` returns their annotations as strings, which it would quote.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def resolve(dotted: str):
    """The object a dotted name points to; MarkerError if there is none."""
    parts = dotted.split(".")
    if not dotted or not all(part.isidentifier() for part in parts):
        raise markers.MarkerError(f"signature {dotted!r} is not a dotted Python name")
    for split in range(len(parts) - 1, 0, -1):  # the longest importable module
        module_name = ".".join(parts[:split])
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            raise markers.MarkerError(
                f"signature {dotted!r}: module {module_name} has no {attr!r}"
            ) from None
        return obj
    raise markers.MarkerError(f"signature {dotted!r}: no module to import it from")


def parameter_texts(signature: inspect.Signature) -> list[str]:
    """Each parameter as Python source, with the `/` and `*` separators it needs."""
    texts = []
    params = list(signature.parameters.values())
    for index, param in enumerate(params):
        if param.annotation is not inspect.Parameter.empty and isinstance(
            param.annotation, str
        ):
            param = param.replace(annotation=_Annotation(param.annotation))
        kind = param.kind
        if kind is inspect.Parameter.KEYWORD_ONLY and not any(
            p.kind is inspect.Parameter.VAR_POSITIONAL for p in params
        ):
            if index == 0 or params[index - 1].kind is not kind:
                texts.append("*")
        texts.append(str(param))
        next_kind = params[index + 1].kind if index + 1 < len(params) else None
        if kind is inspect.Parameter.POSITIONAL_ONLY and (
            next_kind is not inspect.Parameter.POSITIONAL_ONLY
        ):
            texts.append("/")
    return texts


def format_signature(dotted: str) -> str:
    """`dotted(param: type = default, ...)`, the way a reader calls it."""
    obj = resolve(dotted)
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError) as err:
        raise markers.MarkerError(f"signature {dotted!r}: {err}") from None
    params = parameter_texts(signature)
    one_line = f"{dotted}({', '.join(params)})"
    if len(one_line) <= MAX_ONE_LINE:
        return one_line
    body = "".join(f"    {text},\n" for text in params)
    return f"{dotted}(\n{body})"


def _library_version(top: str) -> str | None:
    try:
        return cache.package_version(top)
    except PackageNotFoundError:
        return None


class Signatures:
    """Signatures already read, kept by name, library version and this file's
    source: reading one imports torch (over a second), which a warm build or
    `serve` need not pay."""

    def __init__(self, store: cache.Store) -> None:
        self.store = store
        self.code = cache.key(Path(__file__))  # this file: how a signature is shown

    def render(self, marker: markers.Marker) -> str:
        """A fence titled with the library version the signature was read from."""
        top = marker.arg.split(".")[0]
        lib_version = _library_version(top)
        title = f' title="Signature in {top} {lib_version}"' if lib_version else ""
        key = cache.key(marker.arg, lib_version or "?", self.code)
        if (signature := self.store.get(key)) is None:
            signature = format_signature(marker.arg)
            self.store.put(key, signature)
        return f"```python{title}\n{signature}\n```"
