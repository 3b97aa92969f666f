// Package metrics judges predictions: ranking metrics for scores (ROC curve, ROC-AUC,
// average precision), counts-based metrics for predicted labels (precision, recall, F1,
// accuracy, confusion matrices), and the seeded, stratified data splits (a held-out
// split and k folds) that keep the judging honest.
//
// How it fits the rest of fugo: models produce numbers, metrics says how good they are.
// An anomaly detector (package anomaly) scores rows, higher = more anomalous; ROCAUC,
// AveragePrecision and ROCCurve judge those scores against the true labels without a
// threshold, PrecisionRecallF1At judges them at one. The speaker classifier (zoo's
// Speaker and SpeakerBag, driven by `fugo speaker`) predicts classes; Accuracy,
// ConfusionMatrix and PerClass judge them, StratifiedSplit carves its early-stopping
// validation lines from the training file, and StratifiedKFold deals the lines of its
// cross-validation folds.
//
// Conventions, all as in scikit-learn unless said otherwise:
//   - Binary labels are []bool: true = positive (anomalous, the class sought).
//   - A higher score means more positive; a row is predicted positive when its score is at
//     or above the threshold (score ≥ t).
//   - Tied scores are one threshold: a tied (positive, negative) pair earns half a credit in
//     ROC-AUC (the trapezoid over the tied group, the mid-rank Mann–Whitney statistic),
//     and average precision takes one step per distinct score.
//   - Class labels are ints in [0, classes); a confusion matrix's rows are true classes and
//     its columns predicted ones (counts[true][pred]).
//   - Bad input (empty, lengths that differ, NaN scores, labels out of range, a metric that
//     is undefined because only one class is present) is an error, never a panic. A
//     ratio that is undefined for valid input (precision with nothing predicted positive)
//     is NaN, documented where it can happen.
//
// Everything here is plain float64 arithmetic on slices: no tensors, no global random
// source (splits take a seeded *rand.Rand from math/rand/v2, as tensor.NewRNG returns),
// no printing. Every function is safe to call from several goroutines on distinct inputs
// (a *rand.Rand is not: give each goroutine its own).
package metrics
