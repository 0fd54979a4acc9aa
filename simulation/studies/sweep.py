"""Running a study: plan it, skip what is on disk, run the rest anywhere, retry failures, then analyse.

>>> from simulation.studies import sweep                                   # doctest: +SKIP
>>> report = sweep("experiments/morris.yaml", workers=2)                  # doctest: +SKIP
>>> report = sweep("experiments/scaling.yaml", scheduler="tcp://head:8786")  # doctest: +SKIP

Order of work, chosen so that bad input costs nothing and a kill costs little: load and validate the study, build
the plan (every scenario validated), check the output folder and - for local runs - memory, connect to the
executor; only then is anything written. Finished runs stream into Parquet shards; each failure is written down
with its error and retried up to ``retries`` times in the sweep (then reported, and retried again by the next
sweep). When every run is done, the outputs, indices, scaling fits and figures are (re)written.
"""

from __future__ import annotations

import contextlib
import os
import platform
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.memory import check_memory
from simulation.results import git_info, now, package_versions, write_failure
from simulation.scenario_files import ScenarioSource

from .executors import Executor, make_executor
from .plan import Plan, build_plan
from .spec import Study, load_study
from .store import KIND, MANIFEST, Scan, StudyDataError, StudyStore, stored_by
from .worker import Outcome, Task, run_task

STUDY_PACKAGES = ("SALib", "dask", "distributed", "dask-jobqueue")


@dataclass
class Progress:
    """What a progress callback sees after each finished or failed run."""

    done: int
    total: int
    failed: int
    ran: int
    elapsed: float
    last_seconds: float
    work_left: float = 0.0
    work_done: float = 0.0

    @property
    def seconds_left(self) -> float:
        """Time left at this sweep's pace, weighting runs by their person-months (NaN until a run has finished)."""
        return self.work_left * self.elapsed / self.work_done if self.work_done > 0 else float("nan")


@dataclass
class SweepReport:
    folder: Path
    planned: int
    unique: int
    skipped: int
    ran: int
    failed: dict[str, str]
    seconds: float
    status: str
    executor: str
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def runs_per_minute(self) -> float:
        return 60.0 * self.ran / self.seconds if self.seconds > 0 else float("nan")


class TaskQueue:
    """The plan's tasks, made lazily (a task holds its scenario's JSON), plus retries appended during the sweep."""

    def __init__(self, tasks: Iterator[Task]) -> None:
        self._tasks = tasks
        self._retries: deque[Task] = deque()
        self._next: Task | None = next(self._tasks, None)

    def __bool__(self) -> bool:
        return bool(self._retries) or self._next is not None

    def __len__(self) -> int:  # only what is known without exhausting the generator
        return len(self._retries) + (self._next is not None)

    def popleft(self) -> Task:
        if self._retries:
            return self._retries.popleft()
        task = self._next
        if task is None:
            raise IndexError("no tasks left")
        self._next = next(self._tasks, None)
        return task

    def append(self, task: Task) -> None:
        self._retries.append(task)

    def appendleft(self, task: Task) -> None:
        """Put back a task that was taken but never started (its executor could not accept it)."""
        self._retries.appendleft(task)


def default_folder(study: Study) -> Path:
    return Path("results") / "studies" / study.name


def sweep(study: Study | str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *, workers: int = 1,
          scheduler: str | None = None, scheduler_file: str | None = None, executor: Executor | None = None,
          runner: Callable[[Task], Outcome] | None = None, progress: Callable[[Progress], None] | None = None,
          retries: int | None = None, analyse: bool = True, allow_large: bool = False,
          argv: list[str] | None = None, dask_options: dict[str, Any] | None = None,
          part: tuple[int, int] | None = None) -> SweepReport:
    """Run every run of the study not yet in ``out``; write outputs and analyses when all are done.

    ``runner`` turns a :class:`Task` into an :class:`Outcome` (default: run the model); tests pass analytic
    functions. ``executor`` overrides ``workers``/``scheduler``/``scheduler_file``.

    ``part=(i, n)`` runs only the i-th of n disjoint shares of the runs (:meth:`Plan.share`), beside the other
    shares in the same folder (a job array: each share anywhere, at the same time). A share never analyses: when
    every share has finished, a whole sweep (which runs whatever is left) or :func:`analyse_folder` does.
    """
    runner = runner or run_task
    study = study if isinstance(study, Study) else load_study(study)
    plan = build_plan(study)
    share = None if part is None else plan.share(*part)  # ValueError for a bad I/N, before anything is written
    store = StudyStore(out or default_folder(study), study.spec.store.shard_runs, study.spec.store.shard_seconds,
                       shared=part is not None)
    store.check(study.name)
    remote = scheduler not in (None, "local") or scheduler_file is not None
    if executor is None and runner is run_task and not remote:
        point, lever = plan.largest
        source = ScenarioSource(study.path, study.text, plan.scenario(point, lever))
        check_memory(source, 1, workers, allow_large)
    own_executor = executor is None
    executor = executor or make_executor(workers, scheduler, scheduler_file, **(dask_options or {}))
    try:
        with store:
            return _run(plan, store, executor, runner, progress, retries, analyse and part is None, argv,
                        part, share)
    finally:
        if own_executor:
            executor.close()


def _run(plan: Plan, store: StudyStore, executor: Executor, runner: Callable[[Task], Outcome],
         progress: Callable[[Progress], None] | None, retries: int | None, analyse: bool,
         argv: list[str] | None, part: tuple[int, int] | None = None, share: list[str] | None = None
         ) -> SweepReport:
    study = plan.study
    retries = study.spec.retries if retries is None else retries
    unique = list(dict.fromkeys(plan.runs["key"])) if share is None else share
    scan = store.scan(plan.needs, quarantine=part is None)  # a share leaves damaged shards to the whole sweep
    done = set(scan.runs) & set(unique)
    todo = [k for k in unique if k not in done]
    store.warnings += stale_warnings(scan, set(todo))
    previous = store.read_manifest() or {}
    session: dict[str, Any] = {"started": now(), "executor": executor.description, "argv": argv,
                               "skipped": len(done), "to_run": len(todo), "warnings": list(store.warnings)}
    if part is not None:
        session.update({"part": f"{part[0]}/{part[1]}", "host": platform.node(), "pid": os.getpid()})
    manifest = _manifest(plan, previous, session, "running", len(unique), len(done), {})
    with _writes(store):
        if part is None or not previous:  # shares leave the manifest to the whole sweep, once there is one
            store.write_json(MANIFEST, manifest)
        store.write_text("study.yaml", study.text)
        store.write_atomic(store.folder / "plan.csv", lambda tmp: plan.frame().to_csv(tmp, index=False))
    context = plan.runs.drop_duplicates("key").set_index("key")[["point", "lever", "replication", "seed"]]
    attempts: dict[str, int] = {}
    failed: dict[str, str] = {}
    weights = plan.weights()
    counts = {"ran": 0, "work_left": float(weights[todo].sum()), "work_done": 0.0}
    clock = time.perf_counter()

    def report(last: float) -> None:
        if progress is not None:
            progress(Progress(len(done) + counts["ran"], len(unique), len(failed), counts["ran"],
                              time.perf_counter() - clock, last, counts["work_left"], counts["work_done"]))

    def on_result(task: Task, outcome: Outcome) -> None:
        with _writes(store):
            store.add(outcome, stored_by(task, outcome))
        counts["ran"] += 1
        counts["work_left"] -= task.weight
        counts["work_done"] += task.weight
        failed.pop(task.key, None)
        report(outcome.seconds)

    def on_error(task: Task, error: str) -> None:
        attempts[task.key] = attempts.get(task.key, 0) + 1
        row = context.loc[task.key]
        where = {"point": int(row["point"]), "lever": str(row["lever"]), "replication": int(row["replication"]),
                 "seed": int(row["seed"])}
        with _writes(store):
            record = store.record_failure(task.key, task.attempt, error, where)
        if attempts[task.key] <= retries:
            queue.append(replace(task, attempt=task.attempt + 1))
        else:
            failed[task.key] = record["last_error"]
            counts["work_left"] -= task.weight
        report(0.0)

    queue = TaskQueue(plan.tasks(set(todo)))
    status = "interrupted"
    try:
        executor.execute(queue, runner, on_result, on_error)
        status = "complete" if not failed else "incomplete"
    finally:
        problem = _attempt(store.flush)
        status = "incomplete" if problem is not None and status == "complete" else status
        seconds = time.perf_counter() - clock
        session.update({"finished": now(), "seconds": round(seconds, 3), "ran": counts["ran"],
                        "failed": len(failed), "status": status,
                        "runs_per_minute": round(60 * counts["ran"] / seconds, 2) if seconds > 0 else None})
        # finished runs as the shards hold them: a run whose shard could not be written (a full disk) is not done
        on_disk = len(set(store.done_runs(plan.needs)) & set(unique))
        manifest = _manifest(plan, previous, session, status, len(unique), on_disk, failed, store.parts())
        if part is None:
            problem = problem or _attempt(lambda: store.write_json(MANIFEST, manifest))
        else:  # each share its own record (shares run at once); the whole sweep gathers them into the manifest
            problem = problem or _attempt(lambda: store.write_part(part, {**session, "planned": len(unique),
                                                                          "done": on_disk}))
    if problem is not None:  # with no other error on its way: the disk filled up at the last write
        raise write_failure(problem, store.folder, CONTINUE) from None
    report_ = SweepReport(store.folder, len(plan.runs), len(unique), len(done), counts["ran"], failed, seconds,
                          status, executor.description, warnings=list(dict.fromkeys(store.warnings)))
    if status == "complete" and analyse:
        with _writes(store, f"run `leadsim sensitivity {study.path} --out {store.folder}` to write the analysis "
                            "(every run is on disk)"):
            files, notes = analyse_study(plan, store)
            report_.files, report_.warnings = files, report_.warnings + notes
            manifest["analysis"] = {"files": files, "warnings": notes, "written": now()}
            store.write_json(MANIFEST, manifest)
    return report_


CONTINUE = "run the same command to continue (the finished runs on disk are kept)"


@contextlib.contextmanager
def _writes(store: StudyStore, after: str = CONTINUE) -> Iterator[None]:
    """Writes into the study folder: a failed one (a full disk) becomes one :class:`OutputError` saying what to do.
    Only these writes are converted: an executor's own OSErrors (a lost connection) are not disk problems."""
    try:
        yield
    except OSError as exc:
        raise write_failure(exc, store.folder, after) from None


def _attempt(write: Callable[[], None]) -> OSError | None:
    """Run a write in a ``finally`` (where raising would hide the error on its way); return its OSError."""
    try:
        write()
    except OSError as exc:
        return exc
    return None


def stale_warnings(scan: Scan, todo: set[str]) -> list[str]:
    """One sentence per reason that stored runs of this study are run again rather than reused."""
    reasons: dict[str, int] = {}
    for key, why in scan.stale.items():
        if key in todo:
            reasons[why] = reasons.get(why, 0) + 1
    return [f"{n:,} stored run(s) {why}: they are run again (the stored copies are kept)"
            for why, n in reasons.items()]


def _manifest(plan: Plan, previous: dict[str, Any], session: dict[str, Any], status: str, unique: int, done: int,
              failed: dict[str, str], parts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    import hashlib

    from simulation import __version__

    study, spec = plan.study, plan.study.spec
    packages = package_versions()
    for name in STUDY_PACKAGES:
        try:
            from importlib import metadata

            packages[name] = metadata.version(name)
        except Exception:
            packages[name] = None
    sessions = [s for s in previous.get("sessions", []) if s.get("started") != session.get("started")]
    return {
        "kind": KIND,
        "leadsim_version": __version__,
        "code_version": plan.code,
        "study": {"name": study.name, "file": study.path, "text": study.text,
                  "text_sha256": hashlib.sha256(study.text.encode()).hexdigest()},
        "design": {"method": spec.design.method, "samples": spec.design.samples, "seed": spec.design.seed,
                   "points": plan.design.n_points, "factor_combinations": len(plan.design.grid),
                   "levers": plan.levers, "replications": spec.replications, "seed_runs": spec.seed},
        "posterior": study.posterior.record() if study.posterior is not None else None,
        "runs": {"planned": len(plan.runs), "unique": unique, "done": done, "failed": len(failed)},
        "failed": [{"key": k, "error": v} for k, v in failed.items()],
        "status": status,
        "git": git_info(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "sessions": [*sessions, session],
        "parts": parts if parts is not None else previous.get("parts", []),
    }


# ---- analysis ------------------------------------------------------------------------------------------------
def analyse_study(plan: Plan, store: StudyStore) -> tuple[list[str], list[str]]:
    """Write outputs.csv, outputs_mean.csv and, as the study asks, sensitivity and scaling tables and figures."""
    from .analysis import sensitivity
    from .outputs import per_point, per_run
    from .scaling import returns_to_scale, scaling_runs

    spec = plan.study.spec
    folder = store.folder
    written: list[str] = []
    notes: list[str] = []

    def csv(name: str, frame: pd.DataFrame) -> None:
        store.write_atomic(folder / name, lambda tmp: frame.to_csv(tmp, index=False))
        written.append(name)

    runs = per_run(plan, store)
    points = per_point(plan, runs)
    csv("outputs.csv", runs)
    csv("outputs_mean.csv", points)
    indices = exponents = None
    if spec.design.method != "factorial":
        result = sensitivity(plan, points)
        notes += result.warnings
        indices = result.indices
        csv("sensitivity.csv", indices)
    if spec.analysis.scaling:
        output = spec.analysis.scaling
        exponents = returns_to_scale(scaling_runs(plan, runs, output), output, spec.analysis.resamples,
                                     spec.analysis.conf_level, spec.design.seed, _scaling_reference(plan))
        csv("scaling.csv", exponents)
        excluded = exponents[exponents["cells_excluded"] > 0]
        for row in excluded.itertuples():
            notes.append(f"scaling: lever {row.lever}, {row.term}: {row.cells_excluded} cell(s) with no positive "
                         f"mean {output} left out of the log-log fit")
    for path in draw_figures(plan, runs, points, folder / "figures", indices, exponents):
        written.append(path.relative_to(folder).as_posix())
    return written, notes


def _scaling_reference(plan: Plan) -> set[str]:
    """Levers the scaling output is differenced against: they have no gain of their own to fit or draw."""
    output = plan.study.spec.analysis.scaling
    return {o.minus for o in plan.study.spec.outputs if o.name == output and o.minus}


def draw_figures(plan: Plan, runs: pd.DataFrame, points: pd.DataFrame, folder: Path,
                 indices: pd.DataFrame | None = None, exponents: pd.DataFrame | None = None) -> list[Path]:
    """The study's figures from its tables (outputs, outputs_mean, sensitivity, scaling) into ``folder``.

    The one place that decides which figures a study has (each drawn by a function of :mod:`simulation.plots`), so
    the sweep and a notebook redrawing a finished study's figures (:func:`study_figures`) draw the same ones.
    """
    from simulation import plots

    from .scaling import scaling_runs

    spec = plan.study.spec
    drawn: list[Path] = []
    if indices is not None:
        labels = {p: plan.study.uncertainty_label(p) for p in plan.design.names}
        for lever in dict.fromkeys(indices["lever"].astype(str)):
            fig = plots.sensitivity_figure(indices, lever, labels, plan.design.factor_paths)
            drawn.append(plots.save(fig, folder / f"sensitivity_{_slug(lever)}.png"))
    elif plan.design.factor_paths and not spec.analysis.scaling:
        shown = [o.name for o in spec.outputs if o.minus] or [spec.outputs[0].name]
        levers = [lever for lever in plan.levers if lever not in {o.minus for o in spec.outputs}] or plan.levers
        fig = plots.main_effects_figure(points, plan.design.factor_paths, shown, levers)
        drawn.append(plots.save(fig, folder / "main_effects.png"))
    if spec.analysis.scaling and exponents is not None:
        output, skip = spec.analysis.scaling, _scaling_reference(plan)
        table = scaling_runs(plan, runs, output)
        fig = plots.scaling_figure(table[~table["lever"].isin(skip)], output, exponents)
        drawn.append(plots.save(fig, folder / "scaling.png"))
        if spec.analysis.scaling_cost:
            cost = points.merge(plan.cells, on=["point", "lever"])
            fig = plots.cost_figure(cost[~cost["lever"].isin(skip)], spec.analysis.scaling_cost)
            drawn.append(plots.save(fig, folder / "scaling_cost.png"))
    return drawn


def _slug(text: str) -> str:
    """A lever's name as part of a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60]


def study_figures(study: Study | str | os.PathLike[str], out: str | os.PathLike[str] | None = None,
                  figures_to: str | os.PathLike[str] | None = None) -> list[Path]:
    """Redraw a finished study's figures from the tables in its folder, into ``figures_to``.

    Nothing in the study folder is changed unless ``figures_to`` is left at its default, the folder's own
    ``figures/`` (which then gets the same pictures again). For a notebook::

        paths = study_figures("experiments/scaling.yaml", "results/studies/scaling", "my_figures")

    Raises :class:`FileNotFoundError` or :class:`ValueError` with what to run when the folder is not this study's
    finished folder.
    """
    study = study if isinstance(study, Study) else load_study(study)
    folder = Path(out or default_folder(study))
    manifest = StudyStore(folder).read_manifest() if folder.is_dir() else None
    if manifest is None or manifest.get("kind") != KIND:
        raise FileNotFoundError(f"{folder} is not a study folder: run `leadsim sweep {study.path} --out {folder}`")
    if manifest.get("study", {}).get("name") != study.name:
        raise ValueError(f"{folder} holds study {manifest['study'].get('name')!r}, not {study.name!r}")
    spec = study.spec
    needed = ["outputs.csv", "outputs_mean.csv"]
    needed += ["sensitivity.csv"] if spec.design.method != "factorial" else []
    needed += ["scaling.csv"] if spec.analysis.scaling else []
    missing = [name for name in needed if not (folder / name).is_file()]
    if manifest.get("status") != "complete" or missing:
        raise FileNotFoundError(f"{folder}: the study is not finished and analysed (missing: "
                                f"{', '.join(missing) or 'a complete sweep'}); run `leadsim sweep {study.path} "
                                f"--out {folder}` (it resumes) or `leadsim sensitivity {study.path} --out {folder}`")
    tables = {name: read_study_csv(folder / name) for name in needed}
    return draw_figures(build_plan(study), tables["outputs.csv"], tables["outputs_mean.csv"],
                        Path(figures_to or folder / "figures"), tables.get("sensitivity.csv"),
                        tables.get("scaling.csv"))


def read_study_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A study CSV as written: lever names and run keys stay text (a lever may be called "none" or "NA")."""
    text = {c: str for c in ("lever", "key", "run_key", "parameter", "output", "term", "index")}
    header = pd.read_csv(path, nrows=0).columns
    return pd.read_csv(path, keep_default_na=False, na_values=[""],
                       dtype={c: t for c, t in text.items() if c in header})


def analyse_folder(study: Study | str | os.PathLike[str], out: str | os.PathLike[str] | None = None
                   ) -> tuple[list[str], list[str], int]:
    """Re-run the analysis of a finished study folder (``leadsim sensitivity``); returns files, notes, missing runs."""
    study = study if isinstance(study, Study) else load_study(study)
    plan = build_plan(study)
    store = StudyStore(out or default_folder(study))
    store.check(study.name)
    if not (store.folder / MANIFEST).is_file():
        return [], [], len(set(plan.runs["key"]))
    with store:
        scan = store.scan(plan.needs)
        if scan.damaged:
            raise StudyDataError(damaged_text(scan, study, store.folder))
        missing = len(set(plan.runs["key"]) - set(scan.runs))
        if missing:
            return [], [], missing
        files, notes = analyse_study(plan, store)
        _mark_complete(plan, store, files, notes)
    return files, notes, 0


def _mark_complete(plan: Plan, store: StudyStore, files: list[str], notes: list[str]) -> None:
    """Every run is on disk and analysed: say so in the manifest (shares of a sweep leave it "running")."""
    manifest = store.read_manifest()
    if manifest is None or manifest.get("kind") != KIND:
        return
    unique = plan.runs["key"].nunique()
    manifest.update({"status": "complete", "parts": store.parts(), "failed": [],
                     "analysis": {"files": files, "warnings": notes, "written": now()}})
    manifest["runs"] = {**manifest.get("runs", {}), "unique": unique, "done": unique, "failed": 0}
    store.write_json(MANIFEST, manifest)


def damaged_text(scan: Scan, study: Study, folder: Path) -> str:
    shards = ", ".join(f"{path} ({why})" for path, why in scan.damaged.items())
    return (f"{folder}: {len(scan.damaged)} damaged shard(s): {shards}; run `leadsim sweep {study.path} --out "
            f"{folder}` to move them to {folder / 'damaged'}/ and run their runs again")


def read_table(study: Study | str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
               partial: bool = False) -> pd.DataFrame:
    """The study's long table: run, point, lever, replication, seed, month, metric, value (plan order).

    Every planned run is in it, or :class:`~simulation.studies.store.StudyDataError` says how many are missing
    (not run yet, or stored differently from what the study needs) or which shards are damaged. ``partial=True``
    reads the runs there are (a study still running, say), with a warning naming any damaged shard.
    """
    import warnings

    study = study if isinstance(study, Study) else load_study(study)
    plan = build_plan(study)
    store = StudyStore(out or default_folder(study))
    scan = store.scan(plan.needs)
    planned = list(dict.fromkeys(plan.runs["key"]))
    missing = [k for k in planned if k not in scan.runs]
    if scan.damaged and not partial:
        raise StudyDataError(damaged_text(scan, study, store.folder))
    if scan.damaged:
        warnings.warn(damaged_text(scan, study, store.folder), stacklevel=2)
    if missing and not partial:
        raise StudyDataError(f"{store.folder}: {len(missing):,} of {len(planned):,} runs of study {study.name} are "
                             f"not stored (or stored differently from what it needs); run `leadsim sweep "
                             f"{study.path} --out {store.folder}` to finish it, or pass partial=True")
    rows = store.read_rows({k: scan.runs[k] for k in planned if k in scan.runs})
    table = plan.runs.merge(rows, left_on="key", right_on="run_key", how="inner")
    table = table.sort_values(["run", "month", "metric"], kind="stable").reset_index(drop=True)
    return table[["run", "point", "lever", "replication", "seed", "key", "month", "metric", "value"]]
