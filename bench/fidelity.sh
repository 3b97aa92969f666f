#!/usr/bin/env bash
# Fidelity of the "Building Autoencoders in Keras" models (issue 3): trains each model
# once with `fugo train MODEL` at the tutorial's epoch counts and defaults, then prints
# the mean per-pixel BCE on the 10 000 MNIST test images that fugo reports, the target,
# the total wall time, and the median seconds per epoch (training pass, from
# history.json).
#
# At full length this takes hours on a 2-core machine (simple 50, sparse 100, deep 100,
# conv 50, denoise 100 epochs). For a short check:
#   EPOCHS=2 bench/fidelity.sh simple deep     (every model for 2 epochs)
#
# Usage: bench/fidelity.sh [MODEL...]   (default: simple sparse deep conv denoise)
# Env:   EPOCHS=N  override every model's epoch count
#        SEEDS="1 2 3"  train each model once per seed (default: 1) and print the mean,
#                 lowest and highest test BCE over the seeds after the per-run rows
#        OUT=DIR   keep the runs (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(simple sparse deep conv denoise)
if [ -n "${OUT:-}" ]; then
  out=$OUT; mkdir -p "$out"
else
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fi
go build -o "$out/fugo" ./cmd/fugo

declare -A epochs=([simple]=50 [sparse]=100 [deep]=100 [conv]=50 [denoise]=100)
declare -A target=([simple]="<= 0.105" [sparse]="<= 0.105" [deep]="<= 0.097" [conv]="<= 0.094" [denoise]="reported")

rows=() summary=()
for m in "${models[@]}"; do
  [ -n "${epochs[$m]:-}" ] || { echo "fidelity.sh: unknown model $m (want simple sparse deep conv denoise)" >&2; exit 2; }
  n=${EPOCHS:-${epochs[$m]}}
  bces=()
  for seed in ${SEEDS:-1}; do
    run=$out/$m-seed$seed
    echo "== fugo train $m --epochs $n --seed $seed" >&2
    start=$(date +%s.%N)
    "$out/fugo" train "$m" --epochs "$n" --seed "$seed" -q --out "$run" | tee "$run.log" >&2
    end=$(date +%s.%N)
    bce=$(sed -n 's/^test BCE[^:]*: *\([0-9.]*\).*/\1/p' "$run.log" | tail -1)
    code=$(sed -n 's/^mean code activation[^:]*: *\([0-9.]*\).*/\1/p' "$run.log" | tail -1)
    per=$(python3 -c '
import json, statistics, sys
e = json.load(open(sys.argv[1]))["epochs"]
print("%.2f" % statistics.median(x["seconds"] for x in e))' "$run/history.json")
    rows+=("$(printf '%-8s %4s %6s %10s %10s %12s %10.0f %9s' "$m" "$seed" "$n" "${bce:-?}" "${target[$m]}" "${code:--}" "$(python3 -c "print($end-$start)")" "$per")")
    bces+=("${bce:-nan}")
  done
  summary+=("$(python3 -c '
import sys
m, v = sys.argv[1], [float(x) for x in sys.argv[2:]]
print("%-8s %d seeds: mean %.4f, lowest %.4f, highest %.4f" % (m, len(v), sum(v) / len(v), min(v), max(v)))' "$m" "${bces[@]}")")
done
printf '%-8s %4s %6s %10s %10s %12s %10s %9s\n' model seed epochs "test BCE" target "mean code" "total s" "s/epoch"
printf '%s\n' "${rows[@]}"
[ -z "${SEEDS:-}" ] || printf '%s\n' "${summary[@]}"
