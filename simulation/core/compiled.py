"""Where numba keeps leadsim's compiled kernels: one cache folder per version of the package's source.

Why not numba's default (``__pycache__`` beside each module): numba checks only the timestamp of the file that
defines a kernel, yet a kernel carries compiled copies of the kernels it calls from other files (every one calls
the random streams' ``draw_bits``). After such a file changes, a stale copy can load - seen in development as a
crash. Naming the folder by a hash of all the package's sources makes any edit start a fresh cache; an installed
release compiles once per machine (about half a minute) and then loads in about half a second.

Each folder holds about 3 MB; when a new one is made, all but the :data:`KEEP` most recently used are removed.
Set ``NUMBA_CACHE_DIR`` to choose the folder yourself (it must be set before numba is imported).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KEEP = 8
"""Cache folders (source versions) kept: enough for a few checkouts side by side."""


def source_digest() -> str:
    """A short hash of every Python file of the package (their paths and contents)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def use_versioned_cache() -> None:
    """Point numba at ``~/.cache/leadsim/numba/<source hash>`` unless ``NUMBA_CACHE_DIR`` is set or numba is
    already imported; if that folder cannot be made, numba's own choice stands."""
    if "NUMBA_CACHE_DIR" in os.environ or "numba" in sys.modules:
        return
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = home / "leadsim" / "numba" / source_digest()
    try:
        new = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # "most recently used", for the pruning below
    except OSError:
        return
    if os.access(folder, os.W_OK):
        os.environ["NUMBA_CACHE_DIR"] = str(folder)
        if new:
            _prune(folder.parent)


def _prune(parent: Path) -> None:
    """Remove all but the KEEP most recently used cache folders (best effort: another process may be using one,
    and numba then simply compiles again)."""
    with contextlib.suppress(OSError):
        folders = sorted((p for p in parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)


use_versioned_cache()
