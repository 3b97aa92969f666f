"""Writes sklearn.json: score/label sets and scikit-learn's metrics on them.

The Go tests (metrics/sklearn_test.go) read the JSON and compare fugo's metrics with
these values to 1e-12, so they need no Python. Regenerate with

    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 make_fixtures.py

(Debian python3-sklearn; the version used is recorded in the file). Every set is drawn
from a seeded numpy RandomState, so the file is the same on every run.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)


def binary_sets():
    """(name, scores, labels, threshold) for the binary metrics."""
    out = []
    # scikit-learn's doc example.
    out.append(("doc_example", np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1]), 0.35))

    # Scores rounded to one decimal: many ties within and across classes. 30% positive.
    r = np.random.RandomState(1)
    y = (r.rand(300) < 0.3).astype(int)
    s = np.round(r.randn(300) + 0.8 * y, 1)
    out.append(("ties_300", s, y, float(np.quantile(s, 0.8))))

    # Imbalanced: 4% positive, continuous scores (no ties), as an anomaly benchmark.
    r = np.random.RandomState(2)
    y = (r.rand(500) < 0.04).astype(int)
    s = r.randn(500) * 0.5 + 1.5 * y
    out.append(("imbalanced_500", s, y, float(np.quantile(s, 0.95))))

    # Integer scores 0..5: six thresholds, ties everywhere.
    r = np.random.RandomState(3)
    y = (r.rand(400) < 0.5).astype(int)
    s = np.clip(r.poisson(1.5 + y), 0, 5).astype(float)
    out.append(("integer_scores_400", s, y, 3.0))

    # Two score values only, imbalanced the other way (80% positive).
    r = np.random.RandomState(4)
    y = (r.rand(200) < 0.8).astype(int)
    s = (r.rand(200) < 0.4 + 0.3 * y).astype(float)
    out.append(("two_values_200", s, y, 1.0))

    # A detector worse than chance: positives score low; wide range of magnitudes.
    r = np.random.RandomState(5)
    y = (r.rand(250) < 0.2).astype(int)
    s = np.exp(r.randn(250) * 3 - 2 * y)
    out.append(("reversed_250", s, y, float(np.median(s))))
    return out


def main():
    sets = []
    for name, s, y, t in binary_sets():
        pred = (s >= t).astype(int)
        assert pred.sum() > 0 and y.sum() > 0, name
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
        sets.append({
            "name": name,
            "scores": [float(v) for v in s],
            "labels": [bool(v) for v in y],
            "threshold": t,
            "roc_auc": float(roc_auc_score(y, s)),
            "average_precision": float(average_precision_score(y, s)),
            "precision": float(precision_score(y, pred)),
            "recall": float(recall_score(y, pred)),
            "f1": float(f1_score(y, pred)),
            # roc_curve's first point is (0, 0) at a threshold above every score
            # (max + 1 before scikit-learn 1.3, +Inf since): left out of the file.
            "roc_fpr": [float(v) for v in fpr],
            "roc_tpr": [float(v) for v in tpr],
            "roc_thresholds_after_first": [float(v) for v in thr[1:]],
        })

    # Multiclass: four classes, a classifier right about 60% of the time.
    r = np.random.RandomState(6)
    truth = r.randint(0, 4, 300)
    pred = np.where(r.rand(300) < 0.6, truth, r.randint(0, 4, 300))
    multi = {
        "truth": [int(v) for v in truth],
        "pred": [int(v) for v in pred],
        "classes": 4,
        "accuracy": float(accuracy_score(truth, pred)),
        "confusion": confusion_matrix(truth, pred, labels=range(4)).tolist(),
        "precision_per_class": [float(v) for v in precision_score(truth, pred, average=None)],
        "recall_per_class": [float(v) for v in recall_score(truth, pred, average=None)],
        "f1_per_class": [float(v) for v in f1_score(truth, pred, average=None)],
    }

    doc = {
        "generator": "metrics/testdata/make_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "binary": sets,
        "multiclass": multi,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
