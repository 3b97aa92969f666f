#!/usr/bin/env bash
# Training time of the second origin post's illustration autoencoder (issue 4), fugo against
# PyTorch on this machine, side by side: `fugo train illust --epochs N -q` on the three
# shipped pictures (the sum of history.json's per-epoch "seconds": the training pass alone)
# and bench/torch_illust.py (the same model, initialisation, loss, Adadelta and batch 3 on
# the same pictures composited onto white; its total_train_seconds: the training loop
# alone). Prints both totals, ms per epoch, each process's wall time (with loading,
# figures, and for fugo the unseen pictures' table), and the ratio fugo / PyTorch beside the
# issue's target (≤ 0.5). With RUNS > 1 the sides alternate and the medians are compared.
#
# Both sides get 2 threads: GOMAXPROCS=2 for fugo, torch.set_num_threads(2) and
# OMP_WAIT_POLICY=PASSIVE for PyTorch. Batch 3 makes every step tiny, so PyTorch's
# threads spend much of the step waking up and synchronising; on a loaded machine that
# cost grows far more than fugo's (a 2-thread PyTorch step measured 3× slower than a
# 1-thread one under load 8 on 2 cores): compare on a quiet machine, and see
# TORCH_THREADS=1 for PyTorch's best figure.
#
# The default run (10 000 epochs) takes about a minute for fugo and several minutes for
# PyTorch on a quiet 2-core machine. For a short check: EPOCHS=200 bench/illust.sh
#
# Usage: bench/illust.sh
# Env:   EPOCHS=N         epochs (default 10000, the post's)
#        RUNS=N           runs per side, alternating, medians compared (default 1)
#        TORCH_THREADS=N  PyTorch's threads (default 2, the issue's setting)
#        OUT=DIR          keep the runs (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-10000}
runs=${RUNS:-1}
threads=${TORCH_THREADS:-2}
for v in "EPOCHS=$epochs" "RUNS=$runs" "TORCH_THREADS=$threads"; do
  [[ ${v#*=} =~ ^[1-9][0-9]*$ ]] || { echo "illust.sh: ${v%%=*} must be a positive integer, got '${v#*=}'" >&2; exit 2; }
done
if [ -n "${OUT:-}" ]; then
  out=$OUT; mkdir -p "$out"
else
  out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fi
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ $blas == */blas/* ]]; then
  echo "illust.sh: warning: libblas.so.3 is the reference BLAS ($blas); install libopenblas0-pthread" >&2
fi
export GOMAXPROCS=2 OMP_WAIT_POLICY=PASSIVE
go build -o "$out/fugo" ./cmd/fugo

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" >&2
fugo_s=() torch_s=() fugo_w=() torch_w=() fugo_l="" torch_l=""
for i in $(seq "$runs"); do
  t0=$(now)
  "$out/fugo" train illust --epochs "$epochs" -q --out "$out/illust" --seed "$i" >"$out/fugo.log"
  t1=$(now)
  read -r s l < <(python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["epochs"]
print("%.3f %.4f" % (sum(x["seconds"] for x in e), e[-1]["loss"]))' "$out/illust/history.json")
  fugo_s+=("$s") fugo_w+=("$(python3 -c "print('%.1f' % ($t1 - $t0))")") fugo_l=$l
  t0=$(now)
  line=$(/usr/bin/python3 bench/torch_illust.py --epochs "$epochs" --threads "$threads" --seed "$i" 2>"$out/torch.log")
  t1=$(now)
  torch_s+=("$(awk '{print $2}' <<<"$line")") torch_w+=("$(python3 -c "print('%.1f' % ($t1 - $t0))")")
  torch_l=$(awk '{print $6}' <<<"$line")
  echo "run $i: fugo ${fugo_s[-1]} s (wall ${fugo_w[-1]} s), pytorch ${torch_s[-1]} s (wall ${torch_w[-1]} s)" >&2
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
f=$(median "${fugo_s[@]}") p=$(median "${torch_s[@]}")
echo "illust: $epochs epochs of batch 3 on the 3 shipped pictures, median of $runs run(s); fugo GOMAXPROCS=2, PyTorch $threads thread(s)"
printf '%-8s %12s %10s %10s %11s\n' side "train s" "ms/epoch" "wall s" "last loss"
printf '%-8s %12.2f %10.2f %10s %11s\n' fugo "$f" "$(python3 -c "print(1000*$f/$epochs)")" "$(median "${fugo_w[@]}")" "$fugo_l"
printf '%-8s %12.2f %10.2f %10s %11s\n' pytorch "$p" "$(python3 -c "print(1000*$p/$epochs)")" "$(median "${torch_w[@]}")" "$torch_l"
python3 -c "r = $f / $p; print('ratio fugo/pytorch %.2f (target <= 0.50: %s)' % (r, 'met' if r <= 0.5 else 'not met'))"
echo "last loss: BCE per pixel of the last epoch (one batch of the 3 pictures)."
