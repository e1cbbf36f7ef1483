#!/usr/bin/env bash
# One command on the GPU machine (docs/training.md): build the set from the carried sources pack (once per
# machine), train for at most MINUTES, and hand last.pt and the log back through $OUT.
#
#   bash training/device_round.sh CONFIG STEPS MINUTES [train.py options...]
#
# Options go to training.train as they are (--init W.pt, --resume R.pt, --lr X, ...); with neither --init nor
# --resume, the run in training/runs/gpu resumes if it has a last.pt. BATCH (16) sets crops per step;
# TRAIN_SAMPLES and VAL_SAMPLES (10000, 200) size the built set; PYTHON picks the interpreter; SMOKE=0 skips
# the first round's test run.
# Files over 15 MiB go back in parts (the device hands back at most 16 MiB a file): `cat last.pt.part-* > last.pt`.
set -euo pipefail
config="$1" steps="$2" minutes="$3"
shift 3
data=training/.data/synth
run=training/runs/gpu
py="${PYTHON:-python3}"  # the GPU machine's python3 holds torch; here: PYTHON=/usr/bin/python3
out="${OUT:-$run/out}"
mkdir -p "$out"

$py -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available() and torch.cuda.get_device_name(0))'
if [ ! -f "$data/index.json" ]; then
  # First round on this machine: the trainer's tests on its GPU (about 20 s) before minutes go into the build.
  if [ "${SMOKE:-1}" = 1 ]; then
    $py -m pytest -q -x -p no:cacheprovider training/tests/test_train.py training/tests/test_checkpoint.py
  fi
  $py -m training.data.build --sources training/.sources --out "$data" --train "${TRAIN_SAMPLES:-10000}" \
    --val "${VAL_SAMPLES:-200}" --val-full 0 --size 256 --workers "$(nproc)"
fi
start=()
if [[ " $* " != *" --init "* && " $* " != *" --resume "* && -f "$run/last.pt" ]]; then
  start=(--resume "$run/last.pt")
fi
$py -m training.train --config "$config" --data "$data" --out "$run" --steps "$steps" --max-minutes "$minutes" \
  --batch "${BATCH:-16}" --preload "$(nproc)" "${start[@]}" "$@"

for f in "$run/last.pt" "$run/log.jsonl"; do
  if [ "$(stat -c %s "$f")" -gt $((15 << 20)) ]; then
    split -b 15M -d "$f" "$out/$(basename "$f").part-"
  else
    cp "$f" "$out/"
  fi
done
grep '"val"' "$run/log.jsonl" | tail -n 3
grep '"loss"' "$run/log.jsonl" | tail -n 1
