#!/bin/bash
# A study as a SLURM job array, without Dask: array task I of N runs share I/N of the study's runs
# (`leadsim sweep --part I/N`) on its own cores, into one study folder on the shared disk. Then one small job
# runs whatever is left (a share that failed or ran out of time) and writes the analysis.
#
#   JOB=$(sbatch --parsable --array=1-16 experiments/cluster/slurm_array.sh experiments/sobol.yaml [OUT])
#   sbatch --dependency=afterany:$JOB --cpus-per-task=8 --wrap "leadsim sweep experiments/sobol.yaml --out OUT"
#
# Shares are fixed by the study alone (about equal work each), so a task can be rerun on its own, and resubmitting
# the array skips every run already stored. Set LEADSIM_VENV to the virtualenv on the shared disk (default:
# ./.venv of this checkout). Warm the kernel cache once before submitting (README.md), or the first tasks compile
# the model's kernels at the same time.
#SBATCH --job-name=leadsim-share
#SBATCH --array=1-16                   # N shares; any range with step 1 (0-15 works too)
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=8              # = local worker processes of this share
#SBATCH --mem-per-cpu=2G               # or --mem=16G: either works
#SBATCH --time=02:00:00
#SBATCH --output=leadsim-share-%A_%a.log

set -euo pipefail
STUDY=${1:?usage: sbatch --array=1-N slurm_array.sh STUDY [OUT]}
OUT=${2:-results/studies/$(basename "$STUDY" .yaml)}
TASK=${SLURM_ARRAY_TASK_ID:?not an array task: submit with sbatch --array=1-N}
FIRST=${SLURM_ARRAY_TASK_MIN:-1}
COUNT=${SLURM_ARRAY_TASK_COUNT:-$((${SLURM_ARRAY_TASK_MAX:?SLURM_ARRAY_TASK_MAX not set} - FIRST + 1))}
PART=$((TASK - FIRST + 1))
# module load python/3.12                        # if your site provides Python as a module (see README.md)
# shellcheck disable=SC1091
source "${LEADSIM_VENV:-$PWD/.venv}/bin/activate"

status=0
leadsim sweep "$STUDY" --out "$OUT" --part "$PART/$COUNT" --workers "${SLURM_CPUS_PER_TASK:-1}" \
    || status=$?
exit $status
