#!/bin/bash
# One SLURM allocation runs a whole study: a Dask scheduler on the first node, one single-threaded worker per core
# on every node, and `leadsim sweep` connected to them through a scheduler file on the shared disk.
#
#   sbatch experiments/cluster/slurm_batch.sh experiments/scaling.yaml
#
# If the allocation ends before the study does, submit it again: finished runs are kept and skipped.
#SBATCH --job-name=leadsim-sweep
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=16          # = worker processes per node (one per core)
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G
#SBATCH --time=02:00:00
#SBATCH --output=leadsim-sweep-%j.log

set -euo pipefail
STUDY=${1:?usage: sbatch slurm_batch.sh STUDY [OUT]}
OUT=${2:-results/studies/$(basename "$STUDY" .yaml)}
source .venv/bin/activate                        # the same checkout and virtualenv on every node
SCHEDULER_FILE=$PWD/dask-scheduler-$SLURM_JOB_ID.json

# 1 task: the scheduler (on the first node)
# (workers may queue runs instead of waiting a round trip for each: SCHEDULER_CONFIG in simulation/studies/executors.py)
DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf \
    srun --nodes=1 --ntasks=1 --overlap dask scheduler --scheduler-file "$SCHEDULER_FILE" --no-dashboard &
for _ in $(seq 120); do [ -s "$SCHEDULER_FILE" ] && break; sleep 1; done
[ -s "$SCHEDULER_FILE" ] || { echo "the Dask scheduler did not start"; exit 1; }

# every task slot: one single-threaded worker (OMP/OPENBLAS threads = 1, as the nanny sets by default)
srun --overlap dask worker --scheduler-file "$SCHEDULER_FILE" --nthreads 1 --nworkers 1 \
    --memory-limit "$((SLURM_MEM_PER_CPU * 1024 * 1024))" --no-dashboard --death-timeout 120 &

leadsim sweep "$STUDY" --scheduler-file "$SCHEDULER_FILE" --out "$OUT" --no-worker-timeout 600
status=$?
kill %1 %2 2>/dev/null || true
exit $status
