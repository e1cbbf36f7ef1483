#!/usr/bin/env bash
# One command on the GPU machine (docs/training.md): build the set from the carried sources pack (once per
# machine), train for at most MINUTES resuming the run, and hand last.pt and the log back through $OUT.
#
#   bash training/device_round.sh CONFIG STEPS MINUTES [WEIGHTS.pt]
#
# WEIGHTS starts a new run from those weights (--init --reset-gate); without it the run in training/runs/gpu
# resumes, or starts from scratch. TRAIN_SAMPLES and VAL_SAMPLES (10000, 200) size the built set.
set -euo pipefail
config="$1" steps="$2" minutes="$3" weights="${4:-}"
data=training/.data/synth
run=training/runs/gpu
py="${PYTHON:-python3}"  # the GPU machine's python3 holds torch; here: PYTHON=/usr/bin/python3

if [ ! -f "$data/index.json" ]; then
  $py -m training.data.build --sources training/.sources --out "$data" --train "${TRAIN_SAMPLES:-10000}" \
    --val "${VAL_SAMPLES:-200}" --val-full 0 --size 256 --workers "$(nproc)"
fi
start=()
if [ -n "$weights" ]; then
  start=(--init "$weights" --reset-gate)
elif [ -f "$run/last.pt" ]; then
  start=(--resume "$run/last.pt")
fi
$py -m training.train --config "$config" --data "$data" --out "$run" --steps "$steps" \
  --max-minutes "$minutes" "${start[@]}"
cp "$run/last.pt" "$run/log.jsonl" "${OUT:-$run}/" 2>/dev/null || true
grep '"val"' "$run/log.jsonl" | tail -n 3
