#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny regression fitted by gradient descent (standard library only).

    python3 fit.py sweep   # one element of the sweep: the rate in $VIGIL_PARAM_LR
    python3 fit.py final   # the final training with the rate the human picked

The data are synthetic and seeded: y = 1.5 x0 - 0.7 x1 + 2 x2 + 0.3 + noise,
with features of different scales, so a rate too large diverges and one too
small has not converged after the sweep's epochs.

`sweep` (one element of a SLURM job array) writes sweep/element-N.json (N:
$SLURM_ARRAY_TASK_ID) with its rate and validation loss, and
metrics/sweep-N.csv with one row per epoch. `final` reads the rate from
$VIGIL_PARAM_LR (the `lr` param of the `pick` gate), trains longer and writes
final/result.json.
"""

import json
import math
import os
import random
import sys

TRUE_WEIGHTS = [1.5, -0.7, 2.0]
TRUE_BIAS = 0.3
SCALES = [1.0, 2.0, 0.5]
DIVERGED = 1e6  # the loss reported when it is no longer finite or grows past this


def make_data(seed, count):
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        x = [rng.gauss(0.0, s) for s in SCALES]
        y = sum(w * v for w, v in zip(TRUE_WEIGHTS, x)) + TRUE_BIAS + rng.gauss(0.0, 0.2)
        rows.append((x, y))
    return rows


def mse(w, b, rows):
    total = 0.0
    for x, y in rows:
        err = sum(wi * xi for wi, xi in zip(w, x)) + b - y
        total += err * err
    loss = total / len(rows)
    return loss if math.isfinite(loss) and loss < DIVERGED else DIVERGED


def fit(lr, epochs, metrics_path):
    """Full-batch gradient descent; one metrics row per epoch."""
    train, val = make_data(1, 300), make_data(2, 100)
    w, b = [0.0] * len(SCALES), 0.0
    os.makedirs(os.path.dirname(metrics_path), exist_ok=True)
    with open(metrics_path, "w", encoding="utf-8") as f:
        f.write("step,loss,val_loss\n")
        for epoch in range(1, epochs + 1):
            gw, gb = [0.0] * len(w), 0.0
            for x, y in train:
                err = sum(wi * xi for wi, xi in zip(w, x)) + b - y
                gw = [g + 2 * err * xi / len(train) for g, xi in zip(gw, x)]
                gb += 2 * err / len(train)
            w = [wi - lr * g for wi, g in zip(w, gw)]
            b -= lr * gb
            loss, val_loss = mse(w, b, train), mse(w, b, val)
            f.write("%d,%.6g,%.6g\n" % (epoch, loss, val_loss))
            if val_loss >= DIVERGED:
                break
    return {"lr": lr, "epochs": epochs, "train_loss": round(mse(w, b, train), 6),
            "val_loss": round(mse(w, b, val), 6), "diverged": mse(w, b, val) >= DIVERGED,
            "weights": [round(v, 4) for v in w] if mse(w, b, val) < DIVERGED else None,
            "bias": round(b, 4) if mse(w, b, val) < DIVERGED else None}


def write_json(path, doc):
    """Writes `doc` atomically: a temporary file next to `path`, then a rename."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def rate():
    text = os.environ.get("VIGIL_PARAM_LR")
    if not text:
        sys.exit("fit.py: VIGIL_PARAM_LR is not set (the sweep set or the pick gate gives it)")
    return float(text)


def main():
    if sys.argv[1:] not in (["sweep"], ["final"]):
        sys.exit("usage: fit.py sweep|final")
    lr = rate()
    if sys.argv[1] == "sweep":
        element = os.environ.get("SLURM_ARRAY_TASK_ID", "0")
        result = fit(lr, 25, "metrics/sweep-%s.csv" % element)
        result["element"] = int(element)
        result["array_job_id"] = os.environ.get("SLURM_ARRAY_JOB_ID", "")
        write_json("sweep/element-%s.json" % element, result)
        print("element %s: lr %g, validation loss %g" % (element, lr, result["val_loss"]))
        return 0
    result = fit(lr, 80, "metrics/final.csv")
    result["lr_from"] = "VIGIL_PARAM_LR"
    write_json("final/result.json", result)
    print("final: lr %g, validation loss %g, weights %s bias %s"
          % (lr, result["val_loss"], result["weights"], result["bias"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
