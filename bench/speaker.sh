#!/bin/sh
# Speaker classifier training time, fugo against PyTorch, side by side on this machine
# (2 threads, OMP_WAIT_POLICY=PASSIVE), alternating fugo and PyTorch RUNS times (default
# 3) and comparing the medians. Usage: bench/speaker.sh [corpus|imdb|all]
#   corpus: the post's model on fugo's corpus (720 lines, 30 epochs, batch 64, units 100)
#   imdb:   the post's original setting: 25 000 random sequences of length 500,
#           vocabulary 5000, batch 64, one epoch (two classes)
# DROPOUT=R (default 0: the post's model) adds the two dropout layers of
# 'fugo speaker train --dropout R' on both sides. Training only: no validation split, no
# early stopping, a fixed number of epochs on both sides. The load average is printed
# before and after each setting: other work on the machine slows both sides.
set -e
cd "$(dirname "$0")/.."
what=${1:-all}
runs=${RUNS:-3}
dropout=${DROPOUT:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/fugo" ./cmd/fugo
export OMP_WAIT_POLICY=PASSIVE GOMAXPROCS=2
secs() { sed -n 's/.*: \([0-9.]*\) s.*/\1/p'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
run() { # name fugo-args torch-args
	echo "$1: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	fs="" ps=""
	i=0
	while [ $i -lt "$runs" ]; do
		fo=$("$tmp/fugo" speaker bench $2)
		echo "  $fo"
		po=$(/usr/bin/python3 bench/torch_speaker.py $3)
		echo "$po" | sed 's/^/  /'
		fs="$fs $(echo "$fo" | secs)"
		ps="$ps $(echo "$po" | secs)"
		i=$((i + 1))
	done
	f=$(echo "$fs" | median)
	p=$(echo "$ps" | median)
	echo "$1: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "$1: fugo$fs s (median $f), PyTorch$ps s (median $p), ratio of medians $(python3 -c "print('%.2f' % ($f / $p))") (target ≤ 0.5)"
}
if [ "$what" = corpus ] || [ "$what" = all ]; then
	"$tmp/fugo" speaker bench --epochs 1 --export "$tmp/data" >/dev/null
	run corpus "--epochs 30 --units 100 --batch 64 --dropout $dropout" "--data $tmp/data --epochs 30 --units 100 --batch 64 --dropout $dropout"
fi
if [ "$what" = imdb ] || [ "$what" = all ]; then
	run imdb "--synthetic 25000,500,5000 --epochs 1 --units 100 --batch 64 --dropout $dropout" "--synthetic 25000,500,5000 --epochs 1 --units 100 --batch 64 --dropout $dropout"
fi
