"""A study's folder on disk: Parquet shards of finished runs, failure records, a manifest - safe to kill at any time.

Layout of ``results/studies/NAME/``::

    manifest.json          the study, code version, provenance, counts and every sweep session (atomic rewrite)
    study.yaml             the study file as given;  plan.csv: every run with its point's values and its key
    shards/part-*.parquet  finished runs: run_key, month, metric, value; in the file's metadata, per run its timing
                           and what it stored, and a checksum of the data
    damaged/part-*.parquet shards whose data failed its checksum (moved aside by a sweep, which reruns their runs)
    failures/KEY.json      a run that failed: each attempt's error text (removed when the run later succeeds)
    parts/I-of-N.json      the last session of each share of a sweep (``leadsim sweep --part I/N``)
    outputs.csv ...        derived tables and figures, rewritten after each complete sweep

Why it survives SIGKILL: every file is written to a temporary name in the same folder and renamed with
``os.replace``, which is atomic, so a reader sees a complete shard or none. The finished runs are the runs of the
shards, so a rerun skips exactly what is on disk and reruns the rest; a run finished in memory but not yet in a
shard is simply run again. Temporary files of a killed process are removed by the next sweep, and an exclusive
lock (``flock``, released by the kernel when its holder dies) keeps two sweeps from writing into one folder at once.

Why a stored run is trusted (:meth:`StudyStore.scan`): its key names the scenario, seed and code version - and is
also the common-random-numbers identity of the run, so it stays as it is - and beside it each shard records what
the run *stored*: the months it kept, the metrics it recorded and the code that ran it. A run is reused only when
that is what the study needs (:class:`Needs`): a study that switches ``store.keep_months`` from final to all reruns
its final-month runs rather than computing means over one month; the other copy stays, and serves again if the
study switches back. Each shard's data is read and checked against its checksum: a damaged shard is moved to
``damaged/`` (named in a warning) and its runs are run again; readers never skip a run silently.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from simulation.results import OutputError, check_owned, check_writable, write_atomic

from .worker import Outcome, Task

MANIFEST = "manifest.json"
SHARDS = "shards"
FAILURES = "failures"
DAMAGED = "damaged"
PARTS = "parts"
RUNS_META = b"leadsim.runs"
STORED_META = b"leadsim.stored"
CHECKSUM_META = b"leadsim.checksum"
KIND = "leadsim study"


class StudyDataError(OutputError):
    """A study folder's runs cannot be read as asked: damaged shards, or runs not there (the message says which)."""


@dataclass(frozen=True)
class Needs:
    """What a study needs of a stored run to reuse it: the months kept, the code version, the metrics its outputs
    read (:meth:`simulation.studies.plan.Plan.needs`)."""

    months: str
    code: str
    metrics: frozenset[str] = frozenset()

    def refuses(self, stored: dict[str, Any] | None) -> str | None:
        """Why a run that stored ``stored`` cannot serve this study (None: it can)."""
        if stored is None:
            return "stored without a record of what it kept (an older leadsim)"
        if stored.get("months") != self.months:
            return f"kept {stored.get('months')} months, and the study keeps {self.months}"
        if stored.get("code") != self.code:
            return f"run by model code {stored.get('code')}, not {self.code}"
        missing = sorted(self.metrics - set(stored.get("metrics", ())))
        if missing:
            return f"did not record {', '.join(missing)}"
        return None


def stored_by(task: Task, outcome: Outcome) -> dict[str, Any]:
    """What a finished run stored: the months its task kept, the code it was run with, the metrics it recorded."""
    return {"months": task.keep, "code": task.code, "metrics": sorted(set(outcome.metric.tolist()))}


@dataclass
class Scan:
    """What a study folder holds for a study: ``runs`` (key -> record of the copy to read), ``stale`` (key -> why
    its stored copies cannot serve, for keys with no usable copy) and ``damaged`` (shard -> what is wrong)."""

    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    stale: dict[str, str] = field(default_factory=dict)
    damaged: dict[Path, str] = field(default_factory=dict)


def data_checksum(run_key: Any, month: Any, metric: Any, value: Any) -> str:
    """SHA-256 of a shard's four columns as written (strings joined, numbers as little-endian bytes)."""
    digest = hashlib.sha256()
    for strings in (run_key, metric):
        digest.update("\0".join(np.asarray(strings, dtype=object).tolist()).encode() + b"\1")
    digest.update(np.ascontiguousarray(month, dtype="<i8").tobytes())
    digest.update(np.ascontiguousarray(value, dtype="<f8").tobytes())
    return digest.hexdigest()


class StudyStore:
    """Read and write one study folder (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str], shard_runs: int = 100, shard_seconds: float = 30.0,
                 shared: bool = False) -> None:
        self.folder = Path(folder)
        self.shared = shared  # a share of a sweep (--part I/N): writes beside the other shares, see open()
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
        """Create the folder, take the lock, remove temporary files left by killed sweeps.

        A whole sweep takes the lock exclusively. The shares of one (``shared``: ``leadsim sweep --part I/N``) take
        it shared, so they write side by side - each shard and file has a name of its own - while no whole sweep
        runs; they leave temporary files and damaged shards alone (another share may be writing or reading them).
        """
        try:
            (self.folder / SHARDS).mkdir(parents=True, exist_ok=True)
            (self.folder / FAILURES).mkdir(exist_ok=True)
            fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"--out {self.folder}: cannot write here: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            which = "a whole sweep, not a --part share" if self.shared else "a whole sweep or --part shares"
            raise OutputError(f"--out {self.folder}: another sweep is writing into this folder ({which}); wait for "
                              "it or choose another folder") from None
        self._lock = fd
        if self.shared:
            return
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

    def scan(self, needs: Needs | None = None, quarantine: bool = False) -> Scan:
        """Every run this folder can give a study that needs ``needs`` (None: any run), reading all the data.

        A shard whose data cannot be decoded or does not match its checksum is damaged: with ``quarantine``
        (a sweep, which holds the lock) it is moved to ``damaged/`` and named in :attr:`warnings`; its runs are
        then not done, so they are run again. A copy that stored something else than the study needs is stale.
        """
        found = Scan()
        for path in self.shard_paths():
            try:
                records, stored = self._read_shard(path)[1:]
            except StudyDataError as exc:
                found.damaged[path] = str(exc)
                if quarantine:
                    self._quarantine(path, str(exc))
                continue
            for record in records:
                key = record["key"]
                why = None if needs is None else needs.refuses(stored.get(record.get("stored", "")))
                if why is None:
                    found.runs.setdefault(key, {**record, "shard": path.name})
                else:
                    found.stale.setdefault(key, why)
        found.stale = {k: why for k, why in found.stale.items() if k not in found.runs}
        return found

    def done_runs(self, needs: Needs | None = None) -> dict[str, dict[str, Any]]:
        """Run key -> its record (seconds, worker, finished, shard) for every run a study needing ``needs`` can use."""
        return self.scan(needs).runs

    def _read_shard(self, path: Path) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, Any]]:
        """A shard's rows, run records and stored descriptions, its data checked; StudyDataError if damaged."""
        try:
            table = pq.read_table(path)
            meta = table.schema.metadata or {}
            records = json.loads(meta[RUNS_META])
            stored = json.loads(meta.get(STORED_META, b"{}"))
            frame = table.to_pandas()
        except (OSError, KeyError, ValueError, pa.ArrowException) as exc:
            raise StudyDataError(f"cannot be read ({type(exc).__name__}: {exc})") from None
        frame["run_key"] = frame["run_key"].astype(str)
        frame["metric"] = frame["metric"].astype(str)
        expected = meta.get(CHECKSUM_META)
        if expected is not None and data_checksum(frame["run_key"], frame["month"], frame["metric"],
                                                  frame["value"]) != expected.decode():
            raise StudyDataError("its data does not match its checksum (damaged on disk)")
        if set(frame["run_key"].unique()) != {r["key"] for r in records}:
            raise StudyDataError("its data and its list of runs disagree")
        return frame, records, stored

    def _quarantine(self, path: Path, why: str) -> None:
        """Move a damaged shard to ``damaged/`` (never delete what may be the only copy of a result)."""
        target = self.folder / DAMAGED / path.name
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
        self.warnings.append(f"{path} is damaged ({why}); moved to {target}; its runs will be run again")

    def add(self, outcome: Outcome, stored: dict[str, Any] | None = None) -> None:
        """Buffer a finished run and what it stored (:func:`stored_by`); write a shard when enough have gathered
        or enough time has passed."""
        self._buffer.append((outcome, stored))
        if len(self._buffer) >= self.shard_runs or time.monotonic() - self._last_flush >= self.shard_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one shard (atomically)."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        buffered, self._buffer = self._buffer, []
        outcomes = [o for o, _ in buffered]
        sizes = [len(o.value) for o in outcomes]
        columns = (np.repeat(np.array([o.key for o in outcomes], dtype=object), sizes),
                   np.concatenate([o.month for o in outcomes]).astype(np.int64),
                   np.concatenate([o.metric for o in outcomes]).astype(object),
                   np.concatenate([o.value for o in outcomes]).astype(np.float64))
        arrow = pa.table({
            "run_key": pa.array(columns[0], pa.string()).dictionary_encode(),
            "month": pa.array(columns[1]),
            "metric": pa.array(columns[2], pa.string()).dictionary_encode(),
            "value": pa.array(columns[3]),
        })
        now = time.time()
        descriptions: dict[str, dict[str, Any]] = {}
        records = []
        for o, stored in buffered:
            record = {"key": o.key, "seconds": round(o.seconds, 4), "worker": o.worker, "finished": now}
            if stored is not None:  # one description per distinct kind of run, named by its hash
                name = hashlib.sha256(json.dumps(stored, sort_keys=True).encode()).hexdigest()[:12]
                descriptions[name] = stored
                record["stored"] = name
            records.append(record)
        arrow = arrow.replace_schema_metadata({RUNS_META: json.dumps(records).encode(),
                                               STORED_META: json.dumps(descriptions).encode(),
                                               CHECKSUM_META: data_checksum(*columns).encode()})
        name = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"

        def write(tmp: Path) -> None:
            pq.write_table(arrow, tmp, compression="zstd")

        self.write_atomic(self.folder / SHARDS / name, write)
        self.shards_written += 1
        for o in outcomes:
            self.clear_failure(o.key)

    def frames(self, runs: dict[str, dict[str, Any]]) -> Iterator[pd.DataFrame]:
        """The long rows of ``runs`` (key -> record from :meth:`scan`), shard by shard, each run from the shard its
        record names; raises StudyDataError if a shard has become unreadable (a run is never skipped)."""
        by_shard: dict[str, set[str]] = {}
        for key, record in runs.items():
            by_shard.setdefault(record["shard"], set()).add(key)
        for name in sorted(by_shard):
            path = self.folder / SHARDS / name
            try:
                frame = self._read_shard(path)[0]
            except StudyDataError as exc:
                raise StudyDataError(f"{path} {exc}; run the sweep again to move it aside and rerun its runs") from None
            yield frame[frame["run_key"].isin(by_shard[name])]

    def read_rows(self, runs: dict[str, dict[str, Any]] | Iterable[str] | None = None) -> pd.DataFrame:
        """The long rows (run_key, month, metric, value) of the given runs (a :meth:`scan`'s ``runs``; or keys, or
        None for every run, read from the first readable copy), one row set per key."""
        if not isinstance(runs, dict):
            every = self.scan().runs
            runs = every if runs is None else {k: every[k] for k in runs if k in every}
        frames = list(self.frames(runs))
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

    # ---- shares of a sweep ---------------------------------------------------------------------------------
    def write_part(self, part: tuple[int, int], record: dict[str, Any]) -> None:
        """The last session of share ``part`` = (i, n) of a sweep, as ``parts/I-of-N.json`` (atomically)."""
        self.write_json(Path(PARTS) / f"{part[0]}-of-{part[1]}.json", record)

    def parts(self) -> list[dict[str, Any]]:
        """The sessions of the shares that have run into this folder (``leadsim sweep --part``), by share."""
        paths = sorted((self.folder / PARTS).glob("*-of-*.json"), key=lambda p: [int(n) for n in
                                                                                  p.stem.split("-of-")[::-1]])
        return [record for record in map(self._read_json, paths) if record is not None]

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
        write_atomic(final, write)

    @staticmethod
    def _read_json(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
