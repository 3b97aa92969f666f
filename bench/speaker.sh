#!/bin/sh
# Speaker classifier training time, fugo against PyTorch, side by side on this machine
# (2 threads, OMP_WAIT_POLICY=PASSIVE). Usage: bench/speaker.sh [corpus|imdb|all]
#   corpus: the post's model on fugo's corpus (624 lines, 30 epochs, batch 64, units 100)
#   imdb:   the post's original setting: 25 000 random sequences of length 500,
#           vocabulary 5000, batch 64, one epoch (two classes)
set -e
cd "$(dirname "$0")/.."
what=${1:-all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/fugo" ./cmd/fugo
export OMP_WAIT_POLICY=PASSIVE GOMAXPROCS=2
secs() { sed -n 's/.*: \([0-9.]*\) s.*/\1/p'; }
run() { # name fugo-args torch-args
	fo=$("$tmp/fugo" speaker bench $2)
	echo "$fo"
	po=$(/usr/bin/python3 bench/torch_speaker.py $3)
	echo "$po"
	f=$(echo "$fo" | secs)
	p=$(echo "$po" | secs)
	echo "$1: fugo $f s, PyTorch $p s, ratio $(python3 -c "print('%.2f' % ($f / $p))")"
}
if [ "$what" = corpus ] || [ "$what" = all ]; then
	run corpus "--epochs 30 --units 100 --batch 64 --export $tmp/data" "--data $tmp/data --epochs 30 --units 100 --batch 64"
fi
if [ "$what" = imdb ] || [ "$what" = all ]; then
	run imdb "--synthetic 25000,500,5000 --epochs 1 --units 100 --batch 64" "--synthetic 25000,500,5000 --epochs 1 --units 100 --batch 64"
fi
