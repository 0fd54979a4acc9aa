"""A study's folder on disk: Parquet shards of finished runs, failure records, a manifest - safe to kill at any time.

Layout of ``results/studies/NAME/``::

    manifest.json          the study, code version, provenance, counts and every sweep session (atomic rewrite)
    study.yaml             the study file as given;  plan.csv: every run with its point's values and its key
    shards/part-*.parquet  finished runs: run_key, month, metric, value; per-run timing in the file's metadata
    failures/KEY.json      a run that failed: each attempt's error text (removed when the run later succeeds)
    outputs.csv ...        derived tables and figures, rewritten after each complete sweep

Why it survives SIGKILL: every file is written to a temporary name in the same folder and renamed with
``os.replace``, which is atomic, so a reader sees a complete shard or none. The set of finished runs is the set of
run keys in the shards (read from the Parquet footers, not the data), so a rerun skips exactly what is on disk and
reruns the rest; a run finished in memory but not yet in a shard is simply run again. Assembly keeps one row set
per key. Temporary files of a killed process are removed by the next sweep, and an exclusive lock (``flock``,
released by the kernel when its holder dies) keeps two sweeps from writing into one folder at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from simulation.results import OutputError, check_owned, check_writable

from .worker import Outcome

MANIFEST = "manifest.json"
SHARDS = "shards"
FAILURES = "failures"
RUNS_META = b"leadsim.runs"
KIND = "leadsim study"


class StudyStore:
    """Read and write one study folder (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str], shard_runs: int = 100, shard_seconds: float = 30.0) -> None:
        self.folder = Path(folder)
        self.shard_runs = shard_runs
        self.shard_seconds = shard_seconds
        self._buffer: list[Outcome] = []
        self._last_flush = time.monotonic()
        self._lock: int | None = None
        self.warnings: list[str] = []
        self.shards_written = 0

    # ---- opening -----------------------------------------------------------------------------------------
    def check(self, study_name: str) -> None:
        """Refuse a folder that is not this study's (before anything is written)."""
        folder = self.folder
        damaged = (f"if it is the folder of study {study_name!r}, its finished runs in {folder / SHARDS}/ are "
                   f"kept: move the damaged file aside (mv {folder / MANIFEST} {folder / 'manifest.damaged.json'}) "
                   "and run the same command, which knows the folder by its study.yaml and writes a new manifest")
        manifest = check_owned(folder, "study", lambda: self._ours_without_manifest(study_name), damaged)
        if manifest is not None and manifest.get("study", {}).get("name") != study_name:
            raise OutputError(f"--out {folder}: holds study {manifest['study'].get('name')!r}, not "
                              f"{study_name!r}; choose another folder")
        check_writable(folder)

    def _ours_without_manifest(self, study_name: str) -> bool:
        """A study folder with no manifest: only the skeleton (a sweep killed before it wrote its first manifest),
        or a ``study.yaml`` of this study (a damaged manifest moved aside, as :meth:`check` advises)."""
        if self._only_skeleton():
            return True
        try:
            text = (self.folder / "study.yaml").read_text(encoding="utf-8")
            data = yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError):
            return False
        return isinstance(data, dict) and data.get("name") == study_name

    def _only_skeleton(self) -> bool:
        """Only what :meth:`open` creates (and temporary files) is here: the folder is ours."""
        for entry in self.folder.iterdir():
            if entry.name in (SHARDS, FAILURES) and entry.is_dir():
                if any(not p.name.startswith(".tmp-") for p in entry.iterdir()):
                    return False
            elif entry.name != ".lock" and not entry.name.startswith(".tmp-"):
                return False
        return True

    def open(self) -> None:
        """Create the folder, take the lock, remove temporary files left by killed sweeps."""
        try:
            (self.folder / SHARDS).mkdir(parents=True, exist_ok=True)
            (self.folder / FAILURES).mkdir(exist_ok=True)
            fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"--out {self.folder}: cannot write here: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(f"--out {self.folder}: another sweep is writing into this folder; wait for it or "
                              "choose another folder") from None
        self._lock = fd
        for tmp in self.folder.rglob(".tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()  # we hold the lock, so no living sweep is writing them

    def close(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None

    def __enter__(self) -> StudyStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- finished runs -----------------------------------------------------------------------------------
    def shard_paths(self) -> list[Path]:
        return sorted((self.folder / SHARDS).glob("part-*.parquet"))

    def done_runs(self) -> dict[str, dict[str, Any]]:
        """Run key -> its record (seconds, worker, finished, shard) for every run in a readable shard."""
        done: dict[str, dict[str, Any]] = {}
        for path in self.shard_paths():
            try:
                meta = pq.read_schema(path).metadata or {}
                records = json.loads(meta[RUNS_META])
            except (OSError, KeyError, ValueError, pa.ArrowException) as exc:
                self.warnings.append(f"{path} cannot be read ({exc}); its runs will be run again")
                continue
            for record in records:
                done.setdefault(record["key"], {**record, "shard": path.name})
        return done

    def add(self, outcome: Outcome) -> None:
        """Buffer a finished run; write a shard when enough have gathered or enough time has passed."""
        self._buffer.append(outcome)
        if len(self._buffer) >= self.shard_runs or time.monotonic() - self._last_flush >= self.shard_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one shard (atomically)."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        outcomes, self._buffer = self._buffer, []
        sizes = [len(o.value) for o in outcomes]
        arrow = pa.table({
            "run_key": pa.array(np.repeat(np.array([o.key for o in outcomes], dtype=object), sizes),
                                pa.string()).dictionary_encode(),
            "month": pa.array(np.concatenate([o.month for o in outcomes]).astype(np.int64)),
            "metric": pa.array(np.concatenate([o.metric for o in outcomes]), pa.string()).dictionary_encode(),
            "value": pa.array(np.concatenate([o.value for o in outcomes]).astype(np.float64)),
        })
        now = time.time()
        records = [{"key": o.key, "seconds": round(o.seconds, 4), "worker": o.worker, "finished": now}
                   for o in outcomes]
        arrow = arrow.replace_schema_metadata({RUNS_META: json.dumps(records).encode()})
        name = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"

        def write(tmp: Path) -> None:
            pq.write_table(arrow, tmp, compression="zstd")

        self.write_atomic(self.folder / SHARDS / name, write)
        self.shards_written += 1
        for o in outcomes:
            self.clear_failure(o.key)

    def read_rows(self, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """The long rows (run_key, month, metric, value) of the given runs, one row set per key."""
        wanted = None if keys is None else set(keys)
        frames = []
        taken: set[str] = set()
        for path in self.shard_paths():
            try:
                frame = pq.read_table(path).to_pandas()
            except (OSError, pa.ArrowException):
                continue  # reported by done_runs
            frame["run_key"] = frame["run_key"].astype(str)
            frame["metric"] = frame["metric"].astype(str)
            present = set(frame["run_key"].unique())
            use = present - taken if wanted is None else (present & wanted) - taken
            if use:
                frames.append(frame[frame["run_key"].isin(use)])
                taken |= use
        if not frames:
            return pd.DataFrame({"run_key": pd.Series(dtype=str), "month": pd.Series(dtype="int64"),
                                 "metric": pd.Series(dtype=str), "value": pd.Series(dtype=float)})
        return pd.concat(frames, ignore_index=True)

    # ---- failures -----------------------------------------------------------------------------------------
    def record_failure(self, key: str, attempt: int, error: str, context: dict[str, Any]) -> dict[str, Any]:
        name = Path(FAILURES) / f"{key}.json"  # relative to the folder, as write_json takes it
        record = self._read_json(self.folder / name) or {"key": key, **context, "attempts": []}
        record["attempts"].append({"attempt": attempt, "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                   "error": error})
        record["last_error"] = error.strip().splitlines()[-1] if error.strip() else "unknown error"
        self.write_json(name, record)
        return record

    def clear_failure(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / FAILURES / f"{key}.json").unlink()

    def failures(self) -> dict[str, dict[str, Any]]:
        out = {}
        for path in sorted((self.folder / FAILURES).glob("*.json")):
            record = self._read_json(path)
            if record is not None:
                out[path.stem] = record
        return out

    # ---- files ---------------------------------------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any] | None:
        return self._read_json(self.folder / MANIFEST)

    def write_json(self, path: str | os.PathLike[str], data: Any) -> None:
        """Write ``data`` as JSON at ``path``, relative to the study folder (atomically)."""
        text = json.dumps(data, indent=2, allow_nan=False, default=str) + "\n"
        self.write_text(path, text)

    def write_text(self, path: str | os.PathLike[str], text: str) -> None:
        self.write_atomic(self.folder / path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def write_atomic(self, final: Path, write) -> None:
        """Write through ``write(tmp_path)`` into a temporary sibling, flush it to disk, rename it to ``final``."""
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

    @staticmethod
    def _read_json(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
