#!/bin/sh
# How the speaker classifier's defaults were chosen: k-fold cross-validation on the
# training file only (fugo speaker cv never reads the test file), then the held-out test
# accuracy of the chosen settings over seeds 1-5. Usage: bench/speaker_cv.sh [select|test|all]
#   select: the cross-validation stages (5 folds, 2 seeds per fold; vocabulary built per
#           fold from its training part); each stage prints its table and ranking
#   test:   fugo speaker sweep --units 100 --seeds 5 with the defaults, with
#           --ensemble 1 (single models) and with the default ensemble
# One process at a time, GOMAXPROCS=1 (accuracy only; the timings it prints are not
# benchmarks). The whole selection takes about half an hour on one core. The defaults were
# chosen with stages 1-7 on the first 624 training lines (before lines 625-720 were
# written); stage 8 checks them on the whole training file.
set -e
cd "$(dirname "$0")/.."
what=${1:-all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/fugo" ./cmd/fugo
export GOMAXPROCS=1
cv() { echo "== fugo speaker cv $*"; "$tmp/fugo" speaker cv -q --seeds 2 "$@"; echo; }
if [ "$what" = select ] || [ "$what" = all ]; then
	# 1. The baseline: tokenisation, vocabulary cut-off, learning rate, weight decay and
	#    training length (the old default, 100 epochs at lr 0.001, was still improving).
	cv --no-lstm --form surface,base --bag-min-count 1,2 --bag-epochs 100,300,1000 --bag-lr 0.001,0.01 --bag-l2 0,0.0001,0.001
	# 2. The LSTM's regularisation: dropout rate, SpatialDropout1D on the embeddings,
	#    Keras' recurrent_dropout, and the vocabulary cut-off.
	cv --no-bag --min-count 1,2 --dropout 0.5,0.7 --spatial-dropout 0,0.3 --recurrent-dropout 0,0.3
	# 3. Around the best of 2: recurrent dropout rate, Keras' LSTM(dropout=) on the LSTM
	#    inputs, embedding size.
	cv --no-bag --min-count 2 --dropout 0.7 --spatial-dropout 0.3 --recurrent-dropout 0.3,0.5 --lstm-dropout 0,0.3 --embed 32,64
	# 4. Averaging the predictions of 5 models (seeds s, s+1000, …), for both models.
	cv --no-bag --min-count 2 --embed 64 --dropout 0.7 --spatial-dropout 0.3 --recurrent-dropout 0.5 --ensemble 1,5
	cv --no-lstm --bag-min-count 1 --bag-l2 0.0001 --bag-lr 0.01 --bag-ensemble 1,5
	# 5. Weight decay, learning rate and embedding size of the best single model of 3.
	cv --no-bag --min-count 2 --embed 64,128 --dropout 0.7 --spatial-dropout 0.3 --recurrent-dropout 0.5 --l2 0,0.00001,0.0001 --lr 0.001,0.002
	# 6. Around the best of 5: a wider embedding, a lower learning rate, more spatial dropout.
	cv --no-bag --min-count 2 --embed 128,256 --dropout 0.7 --spatial-dropout 0.3,0.5 --recurrent-dropout 0.5 --l2 0.00001 --lr 0.0005,0.001
	# 7. The chosen single model averaged over 5 seeds.
	cv --no-bag --min-count 2 --embed 128 --dropout 0.7 --spatial-dropout 0.3 --recurrent-dropout 0.5 --l2 0.00001 --ensemble 5
	# 8. The defaults, single and averaged, both models (one seed per fold).
	"$tmp/fugo" speaker cv -q --ensemble 1,5 --bag-ensemble 1,5
fi
if [ "$what" = test ] || [ "$what" = all ]; then
	echo "== test file, seeds 1-5, single models"
	"$tmp/fugo" speaker sweep -q --units 100 --seeds 5 --ensemble 1 --out "$tmp/sweep1"
	echo "== test file, seeds 1-5, the defaults"
	"$tmp/fugo" speaker sweep -q --units 100 --seeds 5 --out "$tmp/sweep"
fi
