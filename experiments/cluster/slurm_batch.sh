#!/bin/bash
# One SLURM allocation runs a whole study: a Dask scheduler on the first node, one single-threaded worker per core
# on every node, and `leadsim sweep` connected to them through a scheduler file on the shared disk.
#
#   sbatch experiments/cluster/slurm_batch.sh experiments/scaling.yaml [OUT]
#
# If the allocation ends before the study does, submit it again: finished runs are kept and skipped. The script
# exits with the sweep's status (0 done, 1 some runs failed, 2 bad input). Set LEADSIM_VENV to the virtualenv on
# the shared disk (default: ./.venv of this checkout) and load your site's Python 3.12 module below if it needs one.
#SBATCH --job-name=leadsim-sweep
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=16          # = worker processes per node (one per core)
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=2G              # or --mem=32G per node: either works
#SBATCH --time=02:00:00
#SBATCH --output=leadsim-sweep-%j.log

set -euo pipefail
STUDY=${1:?usage: sbatch slurm_batch.sh STUDY [OUT]}
OUT=${2:-results/studies/$(basename "$STUDY" .yaml)}
# module load python/3.12                        # if your site provides Python as a module (see README.md)
# shellcheck disable=SC1091
source "${LEADSIM_VENV:-$PWD/.venv}/bin/activate"  # the same checkout and virtualenv on every node
SCHEDULER_FILE=$PWD/dask-scheduler-$SLURM_JOB_ID.json

# Memory per worker, in bytes: --mem-per-cpu sets SLURM_MEM_PER_CPU, --mem sets SLURM_MEM_PER_NODE (MiB, shared by
# the node's tasks); with neither, Dask divides what the node has.
TASKS_PER_NODE=${SLURM_NTASKS_PER_NODE:-${SLURM_TASKS_PER_NODE:-1}}
TASKS_PER_NODE=${TASKS_PER_NODE%%[(,]*}          # "16(x4)" -> 16
if [ -n "${SLURM_MEM_PER_CPU:-}" ]; then
    MEMORY=$((SLURM_MEM_PER_CPU * ${SLURM_CPUS_PER_TASK:-1} * 1024 * 1024))
elif [ -n "${SLURM_MEM_PER_NODE:-}" ]; then
    MEMORY=$((SLURM_MEM_PER_NODE / TASKS_PER_NODE * 1024 * 1024))
else
    MEMORY=auto
fi

PIDS=()
stop() { [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true; }
trap stop EXIT

# Compile the model's kernels once, on one compute node, before every worker would compile them at once (about
# half a minute; later processes load them from the cache in ~/.cache/leadsim on the shared disk).
srun --nodes=1 --ntasks=1 --overlap python -c \
    "from simulation.kernel_warmup import load_kernels; print(f'kernels ready in {load_kernels():.1f} s')"

# 1 task: the scheduler (on the first node)
# (workers may queue runs instead of waiting a round trip for each: SCHEDULER_CONFIG in simulation/studies/executors.py)
DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=inf \
    srun --nodes=1 --ntasks=1 --overlap dask scheduler --scheduler-file "$SCHEDULER_FILE" --no-dashboard &
PIDS+=($!)
for _ in $(seq 120); do [ -s "$SCHEDULER_FILE" ] && break; sleep 1; done
[ -s "$SCHEDULER_FILE" ] || { echo "the Dask scheduler did not start" >&2; exit 1; }

# every task slot: one single-threaded worker (OMP/OPENBLAS threads = 1, as the nanny sets by default)
srun --overlap dask worker --scheduler-file "$SCHEDULER_FILE" --nthreads 1 --nworkers 1 \
    --memory-limit "$MEMORY" --no-dashboard --death-timeout 120 &
PIDS+=($!)

status=0
leadsim sweep "$STUDY" --scheduler-file "$SCHEDULER_FILE" --out "$OUT" --no-worker-timeout 600 || status=$?
exit $status
