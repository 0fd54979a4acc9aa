"""Where numba keeps leadsim's compiled kernels: one cache folder per version of the core's source.

Why not numba's default (``__pycache__`` beside each module): numba checks only the timestamp of the file that
defines a kernel, yet a kernel carries compiled copies of the kernels it calls from other files (every one calls
the random streams' ``draw_bits``). After such a file changes, a stale copy can load - seen in development as a
crash. Naming the folder by a hash of the core's sources makes any edit of the model start a fresh cache; an
installed release compiles once per machine (about half a minute) and then loads in about half a second.

Importing this module sets ``numba.config.CACHE_DIR`` for this process only (numba reads it when it decorates a
kernel), making the folder if needed; it neither sets the environment nor removes anything. Every kernel module
takes its decorator from here (``from .compiled import njit``), so the folder is chosen before any kernel is
decorated, and only code that uses the kernels imports numba (about half a second): reading and checking a
scenario (``simulation.core.scenario``) does not.
Every process that imports leadsim (fork-server workers, Dask workers) computes the same folder from the same
files. Set ``NUMBA_CACHE_DIR`` to choose the folder yourself.

Each folder holds about 3 MB. :func:`prune_caches` (called by the command line) marks this version's folder as
used and removes all but the :data:`KEEP` most recently used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

import numba

PACKAGE = Path(__file__).resolve().parent
KEEP = 8
"""Cache folders (source versions) kept: enough for a few checkouts side by side."""


def source_digest() -> str:
    """A short hash of every Python file of the core (their paths and contents)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/leadsim/numba/<source hash>`` (``~/.cache`` when XDG_CACHE_HOME is not set)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "leadsim" / "numba" / source_digest()


def use_versioned_cache() -> None:
    """Point numba at :func:`cache_folder` unless a folder is already chosen (``NUMBA_CACHE_DIR``) or this one
    cannot be made and written (a read-only home: numba then keeps its own choice)."""
    if numba.config.CACHE_DIR:
        return
    folder = cache_folder()
    try:  # numba refuses to compile a cached kernel into a folder it cannot write: leave it its own choice then
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if os.access(folder, os.W_OK):
        numba.config.CACHE_DIR = str(folder)


def prune_caches(keep: int = KEEP) -> None:
    """Mark this process's cache folder as the most recently used and remove all but the ``keep`` most recently
    used folders beside it (best effort: another process may be using one, and numba then simply compiles
    again). Does nothing when the folder was chosen elsewhere (``NUMBA_CACHE_DIR``)."""
    folder = cache_folder()
    if "NUMBA_CACHE_DIR" in os.environ or str(folder) != numba.config.CACHE_DIR:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
    except OSError:
        return
    with contextlib.suppress(OSError):
        folders = sorted((p for p in folder.parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for old in folders[keep:]:
            shutil.rmtree(old, ignore_errors=True)


use_versioned_cache()
njit = numba.njit
"""numba's ``njit``, for the kernel modules: importing it from here chooses the cache folder first."""
