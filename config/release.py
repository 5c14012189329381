"""The identity of the running code, part of every cache key that holds rendered output.

A shared cache (Redis) outlives a deploy. Keys that carry the release make the new code
render its own fragments instead of serving ones rendered by the old templates and code.
"""

from __future__ import annotations

from hashlib import blake2b
from pathlib import Path

# What a deploy can change about rendered output: the apps' code and the templates.
_FOLDERS = ("accounts", "forum", "community", "config", "templates")
_SOURCES = ("*.py", "*.html", "*.txt")


def source_digest(root: Path) -> str:
    """A short digest of the project's code and templates under `root`.

    Used when the deploy does not name itself (the RELEASE variable): reading a few hundred
    small files once at start-up costs a few milliseconds and can never be forgotten.
    """
    digest = blake2b(digest_size=6)
    files = sorted(
        path
        for folder in _FOLDERS
        for pattern in _SOURCES
        for path in (root / folder).rglob(pattern)
    )
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
