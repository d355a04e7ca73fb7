"""What the build keeps between builds in `.cache/`, and the three things every
kept result needs: a key that changes with what made it, a write that a reader or
another build never sees half done, and a cheap "did this file change on disk".

No MkDocs here: the snippet worker's pool and the labs use it too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from importlib.metadata import version
from pathlib import Path


@functools.cache  # reading package metadata takes milliseconds: once a process
def package_version(package: str) -> str:
    return version(package)


def key(*parts: str | bytes | Path, packages: tuple[str, ...] = ()) -> str:
    """A hex digest of `parts` (a Path counts by its bytes) and of the installed
    version of each of `packages`: what made a result, so a kept result is used
    only while all of it is the same."""
    digest = hashlib.sha256()
    named = [f"{name}=={package_version(name)}" for name in packages]
    for part in (*named, *parts):
        data = part.read_bytes() if isinstance(part, Path) else part
        data = data.encode() if isinstance(data, str) else data
        digest.update(hashlib.sha256(data).digest())  # parts cannot run together
    return digest.hexdigest()


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` so that a reader, or a build running
    at the same time, sees the old file or the new one, never half of one."""
    writer = f"{os.getpid()}-{threading.get_ident()}"  # two threads may write a key
    partial = path.with_name(f"{path.name}.{writer}.partial")
    if isinstance(data, bytes):
        partial.write_bytes(data)
    else:
        partial.write_text(data, encoding="utf-8")
    partial.replace(path)


def stamp(path: Path) -> tuple[int, int, int] | None:
    """The file's inode, modification time and size, or None if it is missing: a
    file whose stamp is the same as when it was read need not be read again."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class Store:
    """Values computed in earlier builds, by key, in one JSON file of `.cache/`. A
    build writes back only the entries
    it used, so the file never outgrows the site, and only if that changed
    anything. `mkdocs serve` keeps one Store a process: the file is read again
    only when it changed on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: tuple | None = None  # the file's stamp when last read
        self._known: dict[str, object] = {}
        self._used: dict[str, object] = {}
        self._changed = False

    def load(self) -> None:
        """Start a build: read the file unless it is as this process left it."""
        self._used = {}
        seen = stamp(self.path)  # before reading: a file replaced since is read again
        if seen == self._read and seen is not None:
            return
        self._changed = False
        try:
            known = json.loads(self.path.read_bytes())
            if not isinstance(known, dict):
                raise ValueError(f"{self.path} holds no cache")
            self._known, self._read = known, seen
        except Exception:  # no cache yet, or a broken one: compute anew
            self._known, self._read = {}, None

    def get(self, key: str):
        """The value stored for `key`, or None."""
        if key in self._known:
            self._used[key] = self._known[key]
        return self._known.get(key)

    def put(self, key: str, value) -> None:
        self._known[key] = self._used[key] = value
        self._changed = True

    def save(self) -> None:
        """End a build: keep the entries it used."""
        if self._changed or self._used.keys() != self._known.keys():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(self._used))
            self._known, self._changed = dict(self._used), False
            self._read = stamp(self.path)
