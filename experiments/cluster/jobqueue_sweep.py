"""Run a leadsim study on a SLURM or PBS cluster through dask-jobqueue: batch jobs become Dask workers.

    python experiments/cluster/jobqueue_sweep.py slurm experiments/scaling.yaml --jobs 10 --cores 8 \\
        --memory 16GB --walltime 02:00:00 --queue normal --account myproject
    python experiments/cluster/jobqueue_sweep.py pbs experiments/sobol.yaml --jobs 20 --cores 4 --memory 8GB

Run it on the login node (or in a small job) from the leadsim checkout, with the same virtualenv that the compute
nodes will use (every worker must run the same leadsim code: workers with other code refuse the study's runs).
Each job starts ``--cores`` single-threaded worker processes (the model is single-threaded numpy; one process per
core). Results stream into the study folder on the login node as runs finish; if this script, a job or the whole
allocation dies, run the same command again: finished runs are kept and skipped.

--dry-run prints the job script dask-jobqueue would submit, without submitting anything.
"""

from __future__ import annotations

import argparse
import sys
import time


def make_cluster(kind: str, args: argparse.Namespace):
    """A dask-jobqueue cluster whose jobs run ``--cores`` one-thread workers with this Python."""
    from dask_jobqueue import PBSCluster, SLURMCluster

    cls = {"slurm": SLURMCluster, "pbs": PBSCluster}[kind]
    options = {
        "cores": args.cores,
        "processes": args.cores,           # one worker process per core, one thread each
        "memory": args.memory,
        "walltime": args.walltime,
        "queue": args.queue,
        "account": args.account,
        "python": sys.executable,          # the leadsim virtualenv, on a disk the nodes share
        "job_name": "leadsim",
        "log_directory": None if args.dry_run else args.log_directory,  # a dry run creates nothing
        "job_script_prologue": [f"cd {args.workdir}"] if args.workdir else [],
        "scheduler_options": {"host": args.host} if args.host else {},
    }
    import dask

    from simulation.studies.executors import SCHEDULER_CONFIG

    with dask.config.set(SCHEDULER_CONFIG):  # the scheduler runs here: workers may queue runs (see executors.py)
        return cls(**{k: v for k, v in options.items() if v not in (None, [], {})})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["slurm", "pbs"])
    parser.add_argument("study", help="study file, e.g. experiments/scaling.yaml")
    parser.add_argument("--out", help="study folder (default: results/studies/<name>)")
    parser.add_argument("--jobs", type=int, default=4, help="batch jobs to keep running (default 4)")
    parser.add_argument("--cores", type=int, default=8, help="cores per job = worker processes per job")
    parser.add_argument("--memory", default="16GB", help="memory per job (leadsim validate estimates a run)")
    parser.add_argument("--walltime", default="02:00:00")
    parser.add_argument("--queue", help="partition (SLURM) or queue (PBS)")
    parser.add_argument("--account", help="project to charge")
    parser.add_argument("--host", help="address the scheduler listens on (default: the login node's)")
    parser.add_argument("--workdir", help="directory the jobs start in (default: the submit directory)")
    parser.add_argument("--log-directory", default="dask-logs")
    parser.add_argument("--dry-run", action="store_true", help="print the job script and exit")
    args = parser.parse_args(argv)

    cluster = make_cluster(args.kind, args)
    try:
        if args.dry_run:
            print(cluster.job_script())
            return 0
        cluster.scale(jobs=args.jobs)
        print(f"scheduler {cluster.scheduler_address}; waiting for workers (queue: {args.jobs} jobs)")
        started = time.monotonic()
        from simulation.studies import sweep

        report = sweep(args.study, args.out, scheduler=cluster.scheduler_address,
                       dask_options={"no_worker_timeout": 3600})  # jobs may wait an hour in the queue
        print(f"{report.ran:,} runs in {time.monotonic() - started:,.0f} s on {report.executor}; "
              f"{len(report.failed)} failed; results in {report.folder}")
        return 1 if report.failed else 0
    finally:
        cluster.close()


if __name__ == "__main__":
    sys.exit(main())
