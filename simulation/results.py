"""Results folders a researcher can trust: complete or absent, and saying exactly how they were made.

A folder holds ``metrics.parquet`` (the long table: scenario, replication, seed, month, metric, value),
``summary.csv`` (one row per run: its seed, duration and every metric's final value), ``manifest.json`` (leadsim
version, git commit and dirty flag, package versions, each scenario as given and as resolved with its hash, seeds,
start and end times, durations, the posterior used (its folder and content hash, or null) and the size and SHA-256
of every other file), ``scenario.yaml`` (the resolved scenario, runnable again; ``scenarios/*.yaml`` for a
comparison) and ``figures/*.png``.
``leadsim compare`` adds ``comparison.csv`` and ``figures/compare.png``.

Atomic: everything is written into a hidden sibling ``.NAME.partial-PID`` and renamed to ``NAME`` only when
complete; a failure or an interrupt removes the partial folder, and partial folders left by a killed process are
removed by the next run into the same place.

Whose folder: :func:`check_owned` is the one rule for writing into a folder that exists, used by ``run``,
``compare`` and ``sweep``. A folder is replaced (or, for a study, written into) only when its ``manifest.json``
proves that leadsim wrote it as the same kind - ``"tool": "leadsim"`` and ``"kind": "run"``, ``"compare"`` or
``"study"`` - so ``--out ~/Documents``, a web project with its own ``manifest.json`` or a study folder given to
``leadsim run`` is refused, naming what was found, and nothing is touched. :func:`check_writable` proves the place
writable by creating and removing a probe file; :func:`write_failure` turns a failed write (a full disk) into one
message that says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd
import yaml

from .execution import RunRecord
from .posterior import ROW_COLUMN
from .problems import OutputError
from .scenario_files import ScenarioSource

PACKAGES = ("leadsim", "mesa", "numpy", "pandas", "scipy", "pydantic", "pyarrow", "matplotlib", "PyYAML", "tqdm",
            "networkx")
MANIFEST = "manifest.json"
TOOL = "leadsim"
KINDS = {"run": ("run folder", "leadsim run"), "compare": ("comparison folder", "leadsim compare"),
         "study": ("study folder", "leadsim sweep"), "calibration": ("calibration folder", "leadsim calibrate")}
"""What a results folder can be, as its manifest records it (``"kind"``): its name and the command that writes it."""
OLD_STUDY_KIND = "leadsim study"  # the study manifests' "kind" before "tool" was recorded: still a study
FULL_DISK = (errno.ENOSPC, errno.EDQUOT)


# ---- whose folder, and can it be written --------------------------------------------------------------------
def stamp(kind: str) -> dict[str, str]:
    """The manifest fields that prove leadsim wrote a folder, and as what kind (see :func:`check_owned`)."""
    return {"tool": TOOL, "kind": kind}


def folder_kind(manifest: Any) -> str | None:
    """The kind of leadsim folder a manifest proves (``run``, ``compare``, ``study``), or None if it proves none."""
    if not isinstance(manifest, dict):
        return None
    if manifest.get("kind") == OLD_STUDY_KIND:
        return "study"
    if manifest.get("tool") == TOOL and manifest.get("kind") in KINDS:
        return str(manifest["kind"])
    return None


def check_owned(folder: Path, kind: str, unproven_ok: Callable[[], bool] | None = None,
                damaged_hint: str = "") -> dict[str, Any] | None:
    """The one rule for an output folder that exists: leadsim writes over it only if it wrote it, as ``kind``.

    Returns the folder's manifest (None for an absent or empty folder, or one ``unproven_ok()`` accepts: a
    study's own skeleton, for instance). Raises :class:`OutputError` naming what was found otherwise: a file, a
    folder without a manifest, a manifest that cannot be read (``damaged_hint`` says what to do), one that
    another program wrote, or a leadsim folder of another kind. Nothing is touched.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {folder}: exists and is a file; a {KINDS[kind][0]} is a directory")
    if not folder.is_dir() or not any(folder.iterdir()):
        return None
    path = folder / MANIFEST
    if not path.is_file():
        if unproven_ok is not None and unproven_ok():
            return None
        raise OutputError(f"--out {folder}: exists and is not a leadsim results folder (no {MANIFEST}); choose a "
                          "new folder or remove this one")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"--out {folder}: its {MANIFEST} cannot be read ({reason}), so leadsim cannot tell what "
                          f"wrote this folder and leaves it alone; "
                          f"{damaged_hint or 'choose a new folder or remove this one'}") from None
    found = folder_kind(manifest)
    if found is None:
        keys = ", ".join(list(manifest)[:6]) if isinstance(manifest, dict) else type(manifest).__name__
        raise OutputError(f"--out {folder}: its {MANIFEST} was not written by leadsim (it holds {keys}); "
                          "choose a new folder or remove this one")
    if found != kind:
        (name, command), (wanted, writer) = KINDS[found], KINDS[kind]
        raise OutputError(f"--out {folder}: is a {name} (written by {command}), not a {wanted}; {writer} writes "
                          f"only into a {wanted}: choose another folder")
    return manifest


def check_writable(folder: Path, where: Path | None = None) -> None:
    """Prove that files can be made in ``where`` (default: ``folder``, the ``--out`` named in messages) or, if it
    does not exist yet, in its nearest existing ancestor (where it would be made): create and remove a probe
    file. A read-only mount fails here, before any run, and not after the simulation has run."""
    ancestor = folder if where is None else where
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"--out {folder}: {ancestor} is a file, so no folder can be made under it")
    probe = ancestor / f".leadsim-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink()
        raise OutputError(f"--out {folder}: {ancestor} is not writable ({exc.strerror or exc}); choose another "
                          "folder") from None


def write_failure(exc: OSError, folder: Path, after: str) -> OutputError:
    """A failed write as one message: a full disk says so and what to do; ``after`` says what happens next."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in FULL_DISK or "No space left" in str(exc):
        return OutputError(f"--out {folder}: the disk is full ({reason}); free some space, or choose --out on "
                           f"another disk, then {after}")
    return OutputError(f"--out {folder}: cannot write the results ({reason}); {after}")


def write_atomic(final: Path, write: Callable[[Path], object]) -> None:
    """Write a file through ``write(tmp_path)`` into a temporary sibling, flush it to disk, rename it to ``final``:
    a reader (or a killed writer) sees the whole old file or the whole new one. Folders that grow while they are
    read - a study's, a calibration's - write each file this way."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}-{final.name}"
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class ResultsFolder:
    """``with ResultsFolder(out, kind) as tmp:`` write into ``tmp``; on success it becomes ``out``, else it vanishes.

    ``kind`` (``run`` or ``compare``) is what the folder will be. Nothing is replaced silently: when ``out`` holds
    an earlier leadsim folder of that kind, the results go to the first free sibling ``out-2``, ``out-3``, ...
    (:attr:`final` says where, :attr:`earlier` what was kept), unless ``overwrite`` - then that folder is replaced
    as a whole. Any other folder is refused (:func:`check_owned`). A failed write (a full disk) removes the partial
    folder and becomes one :class:`OutputError` (:func:`write_failure`).
    """

    def __init__(self, final: str | os.PathLike[str], kind: str = "run", overwrite: bool = False) -> None:
        self.requested = Path(final)
        self.final = self.requested
        self.kind = kind
        self.overwrite = overwrite
        self.earlier: Path | None = None
        """The earlier folder of this kind at ``requested``: kept (results in a new folder) or replaced."""
        self._made_parents: list[Path] = []
        self._partial: Path | None = None

    @property
    def partial(self) -> Path:
        """The hidden sibling the results are written into (named after :attr:`final` when writing began)."""
        return self._partial or self.final.parent / f".{self.final.name}.partial-{os.getpid()}"

    @property
    def replaced(self) -> bool:
        """Whether publishing replaces an earlier folder (``overwrite`` and one was there)."""
        return self.earlier is not None and self.final == self.earlier

    def check(self) -> None:
        """Refuse an output place that cannot work, before any run (and before anything is written); choose the
        new folder when the requested one holds earlier results that are not to be overwritten."""
        final = self.requested
        if not final.name or final.name in (".", ".."):
            raise OutputError(f"--out {final}: give a folder name, such as results/baseline")
        if check_owned(final, self.kind) is not None:
            self.earlier = final
            if not self.overwrite:
                final = next_free(final)
        if final.is_dir() and os.path.ismount(final):
            raise OutputError(f"--out {final}: is a mount point, which cannot be replaced (the results are made "
                              f"beside it and renamed); give a folder inside it, such as {final / 'results'}")
        check_writable(final, final.parent)  # the partial folder is made beside the final one
        self.final = final

    def __enter__(self) -> Path:
        self.check()
        missing = []
        parent = self.final.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        try:
            for folder in reversed(missing):
                folder.mkdir()
                self._made_parents.append(folder)
            for place in dict.fromkeys((self.requested, self.final)):
                remove_stale_partials(place)
            self.partial.mkdir()
            self._partial = self.partial
        except OSError as exc:
            self._remove_parents()
            raise OutputError(f"--out {self.final}: cannot write here: {exc.strerror or exc}") from None
        return self.partial

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            try:
                self._publish()
                return
            except OSError as error:
                exc = error
        shutil.rmtree(self.partial, ignore_errors=True)
        self._remove_parents()
        if isinstance(exc, OSError):
            kept = self.earlier is not None and self.earlier.exists()
            after = "run the same command again (nothing was written" + (
                f"; the earlier {self.earlier} is unchanged)" if kept else ")")
            raise write_failure(exc, self.final, after) from None

    def _publish(self) -> None:
        if not self.replaced:
            self._publish_new()
            return
        old = self.final.parent / f".{self.final.name}.old-{os.getpid()}"
        os.replace(self.final, old)
        try:
            os.replace(self.partial, self.final)
        except OSError:
            os.replace(old, self.final)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def _publish_new(self) -> None:
        """Rename the partial folder to a place nothing holds: a folder that appeared there meanwhile (another
        run) is never replaced - the results move on to the next free name."""
        partial = self.partial
        for _ in range(100):
            try:
                partial.rename(self.final)  # fails on a non-empty folder (POSIX rename)
                return
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not self.final.exists():
                    raise
            self.earlier = self.earlier or self.final
            self.final = next_free(self.requested)
        raise OSError(errno.EEXIST, f"no free folder name beside {self.final}")

    def _remove_parents(self) -> None:
        for folder in reversed(self._made_parents):
            with contextlib.suppress(OSError):
                folder.rmdir()


def next_free(folder: Path) -> Path:
    """The first of ``NAME-2``, ``NAME-3``, ... beside ``folder`` that does not exist (or is an empty folder)."""
    for n in range(2, 10_002):
        candidate = folder.with_name(f"{folder.name}-{n}")
        if not candidate.exists() or (candidate.is_dir() and not any(candidate.iterdir())):
            return candidate
    raise OutputError(f"--out {folder}: 10,000 numbered folders beside it are taken; choose another --out")


def remove_stale_partials(final: Path) -> list[Path]:
    """Remove ``.NAME.partial-PID`` / ``.NAME.old-PID`` siblings whose process is gone (killed earlier runs)."""
    removed = []
    for candidate in final.parent.glob(f".{final.name}.*-*"):
        kind, _, pid = candidate.name.removeprefix(f".{final.name}.").rpartition("-")
        if kind in ("partial", "old") and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a leftover of an earlier process that had our pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---- provenance -----------------------------------------------------------------------------------------------
def git_info(root: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Commit and dirty flag of the checkout that holds the leadsim code (``None`` with a note if it isn't one).

    ``dirty`` counts any change git sees (modified, staged or untracked, ignored files aside): an untracked
    intervention module changes results too, because the interventions registry finds every module in it.
    """
    root = Path(root) if root is not None else Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10,
                              check=True).stdout.strip()

    try:
        top = Path(git("rev-parse", "--show-toplevel")).resolve()
        if top != root.resolve():
            return {"commit": None, "dirty": None, "note": f"{root} is not the top of a git checkout"}
        commit = git("rev-parse", "HEAD")
        changes = git("status", "--porcelain").splitlines()
    except FileNotFoundError:
        return {"commit": None, "dirty": None, "note": "git is not installed"}
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return {"commit": None, "dirty": None, "note": f"{root} is not a git checkout"}
    return {"commit": commit, "dirty": bool(changes), "changed_paths": [c[3:] for c in changes[:50]]}


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# ---- tables --------------------------------------------------------------------------------------------------
def summary_table(table: pd.DataFrame, records: Sequence[RunRecord]) -> pd.DataFrame:
    """One row per run: scenario, replication, seed, seconds, then every metric's value at the last month (and,
    under a posterior, the ``posterior_row`` the run drew, after its seed)."""
    last = table[table["month"] == table.groupby("scenario")["month"].transform("max")]
    drawn = [ROW_COLUMN] if ROW_COLUMN in table.columns else []
    wide = last.pivot_table(index=["scenario", "replication", "seed", *drawn, "month"], columns="metric",
                            values="value", sort=False).reset_index()
    wide.columns.name = None
    timing = pd.DataFrame([asdict(r) for r in records], columns=["scenario", "replication", "seed", "seconds"])
    out = wide.merge(timing[["scenario", "replication", "seconds"]], on=["scenario", "replication"], how="left")
    first = ["scenario", "replication", "seed", *drawn, "seconds", "month"]
    return out[first + [c for c in out.columns if c not in first]]


def write_results(folder: Path, table: pd.DataFrame, records: Sequence[RunRecord], sources: Sequence[ScenarioSource],
                  run: dict[str, Any], comparison: pd.DataFrame | None = None) -> dict[str, Any]:
    """Write tables, figures and the manifest into ``folder`` (the partial folder); returns the manifest."""
    from . import plots  # matplotlib is imported only when figures are drawn

    folder.mkdir(parents=True, exist_ok=True)
    table.to_parquet(folder / "metrics.parquet", index=False)
    summary_table(table, records).to_csv(folder / "summary.csv", index=False)
    figures = folder / "figures"
    plots.save(plots.community_figure(table), figures / "community_result.png")
    plots.save(plots.levels_figure(table), figures / "levels.png")
    if comparison is not None:
        comparison.to_csv(folder / "comparison.csv", index=False)
        plots.save(plots.compare_figure(table, comparison), figures / "compare.png")
    used = {"replications": run["replications"], "seed": run["seed"]}
    resolved = [source.resolved(**used) for source in sources]
    for path, data in _scenario_paths(folder, resolved):
        path.parent.mkdir(exist_ok=True)
        header = f"# The scenario as run, every default filled in. Rerun: leadsim run {path.relative_to(folder)}\n"
        path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    manifest = build_manifest(table, records, sources, resolved, run)
    manifest["files"] = _file_list(folder)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return manifest


def _scenario_paths(folder: Path, resolved: Sequence[dict[str, Any]]) -> list[tuple[Path, dict[str, Any]]]:
    """``scenario.yaml`` for one scenario; ``scenarios/1_NAME.yaml``... for several (a compare)."""
    if len(resolved) == 1:
        return [(folder / "scenario.yaml", resolved[0])]
    return [(folder / "scenarios" / f"{k}_{slug(data['name'])}.yaml", data) for k, data in enumerate(resolved, 1)]


def slug(text: str, limit: int = 60) -> str:
    """A safe file or folder name made from a scenario name."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("._")
    return cleaned[:limit] or "scenario"


def build_manifest(table: pd.DataFrame, records: Sequence[RunRecord], sources: Sequence[ScenarioSource],
                   resolved: Sequence[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    from . import __version__

    seeds = sorted({int(s) for s in table["seed"].unique()})
    return {
        **stamp("compare" if run.get("command") == "compare" else "run"),
        "leadsim_version": __version__,
        "command": run.get("command"),
        "argv": run.get("argv", sys.argv[1:]),
        "git": git_info(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "scenarios": [{
            "file": s.path, "name": s.scenario.name, "hash": s.scenario.content_hash(),
            "text_sha256": hashlib.sha256(s.text.encode("utf-8")).hexdigest(), "overrides": s.overrides,
            "given": s.text, "resolved": r,
        } for s, r in zip(sources, resolved, strict=True)],
        "replications": run["replications"],
        "seed": run["seed"],
        "seeds": seeds,
        "workers": run.get("workers", 1),
        "started": run["started"],
        "finished": run["finished"],
        "duration_seconds": run["duration_seconds"],
        "posterior": run.get("posterior"),
        "runs": [asdict(r) for r in sorted(records, key=lambda r: (r.scenario, r.replication))],
        "rows": len(table),
    }


def _file_list(folder: Path) -> dict[str, dict[str, Any]]:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(folder).as_posix()] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return files
