#!/bin/sh
# One training step (forward, BCE, backward, Adadelta) of the conv, denoise and illust
# autoencoders, fugo (go test ./zoo -bench BenchmarkConvStep) against PyTorch
# (bench/torch_conv_models.py, same architectures), both on 2 threads, alternating: each of
# RUNS rounds (default 3) runs fugo, then PyTorch. A fugo run is one benchmark pass (10 steps
# of conv and denoise at batch 128, 100 of illust at batch 3); a PyTorch run is the script's
# median of five timed repeats. Prints every run, then per model the median over the runs in
# milliseconds per step and the ratio fugo/PyTorch (issue 3 asks for ≤ 0.5), with the load
# average before and after: on a shared machine the numbers move with the load.
#
# Usage: bench/conv_step.sh            RUNS=5 bench/conv_step.sh
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/zoo.test" ./zoo
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
fugo() {
	"$tmp/zoo.test" -test.run '^$' -test.cpu 2 -test.bench "ConvStep/$1" -test.benchtime "$2" |
		awk -v r="$3" '/^BenchmarkConvStep/ { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); printf "%d fugo %s %.3f\n", r, a[2], $3 / 1e6 }'
}
for r in $(seq "$RUNS"); do
	fugo '(conv|denoise)$' 10x "$r" | tee -a "$tmp/times"
	fugo 'illust$' 100x "$r" | tee -a "$tmp/times"
	OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_conv_models.py |
		awk -v r="$r" '!/^#/ { printf "%d torch %s %s\n", r, $1, $6 }' | tee -a "$tmp/times"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$tmp/times" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, impl, model, ms = line.split()
    t[impl, model].append(float(ms))
print("model    fugo ms  torch ms  fugo/torch  (medians of %d runs)" % len(t["fugo", "conv"]))
for m in ("conv", "denoise", "illust"):
    f, p = statistics.median(t["fugo", m]), statistics.median(t["torch", m])
    print(f"{m:8} {f:8.2f} {p:9.2f} {f / p:11.2f}")
PY
