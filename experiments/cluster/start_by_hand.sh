#!/bin/bash
# Start a Dask cluster by hand and run a study on it. Every machine needs the same leadsim checkout and
# virtualenv (`make` or `pip install -e .`); the machines need to reach each other on the scheduler's port.
#
# 1. On the head node (the scheduler listens on port 8786):
#        DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf dask scheduler --host 0.0.0.0 --port 8786 --no-dashboard
#
# 2. On each compute node, one single-threaded worker process per core:
#        dask worker tcp://HEAD:8786 --nworkers "$(nproc)" --nthreads 1 --no-dashboard
#
# 3. Anywhere that reaches the scheduler (results are written where this runs):
#        leadsim sweep experiments/scaling.yaml --scheduler tcp://HEAD:8786
#
# Workers may join or leave at any time; a worker that dies has its runs rescheduled on the others. Stop the sweep
# with Ctrl-C and run the same command later to continue.
#
# This script does all three on one machine (127.0.0.1), as a demonstration:
#     bash experiments/cluster/start_by_hand.sh experiments/morris.yaml 2
set -euo pipefail
STUDY=${1:-experiments/morris.yaml}
WORKERS=${2:-2}
PORT=${PORT:-8786}
# workers may queue runs instead of waiting a round trip for each (SCHEDULER_CONFIG in simulation/studies/executors.py)
DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf \
    dask scheduler --host 127.0.0.1 --port "$PORT" --no-dashboard > dask-scheduler.log 2>&1 &
SCHEDULER=$!
dask worker "tcp://127.0.0.1:$PORT" --host 127.0.0.1 --nworkers "$WORKERS" --nthreads 1 --no-dashboard \
    > dask-workers.log 2>&1 &
WORKER=$!
trap 'kill $WORKER $SCHEDULER 2>/dev/null || true' EXIT
leadsim sweep "$STUDY" --scheduler "tcp://127.0.0.1:$PORT"
