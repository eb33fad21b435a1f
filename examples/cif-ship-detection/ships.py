#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Synthetic "images" of the sea and a tiny ship detector (standard library only).

An image is a vector of FEATURES numbers (say, brightness statistics of a
tile). Ships and open sea come from two Gaussian clouds. In the field the sea
is rougher than in the harbour where the factory model was trained: waves
look a little like hulls (the sea cloud moves towards the ships' in the first
features), so the factory model reports ships that are not there. Retraining
on images from the field's distribution fixes that.

The model is logistic regression: a weight per feature, a bias, a threshold.
Everything is seeded, so every run gives the same numbers.

    python3 ships.py baseline > baseline-model.json   # the factory model
"""

import json
import math
import os
import random
import sys

FEATURES = 6
SHIP_MEAN = [2.0, 1.5, 1.5, 1.0, 0.0, 0.0]
SEA_MEAN = [0.0] * FEATURES
# How far the field's rough sea moves towards the ships, per feature.
ROUGH_SEA = [1.6, 1.2, 0.0, 0.0, 0.0, 0.0]
SHIP_RATE = 0.25


def make_images(seed, count, field=True, prefix="img"):
    """`count` labelled images: [{"id", "features", "ship"}]. `field`: the
    field's rough sea, else the harbour's calm one."""
    rng = random.Random(seed)
    images = []
    for i in range(count):
        ship = rng.random() < SHIP_RATE
        mean = SHIP_MEAN if ship else [
            m + (r if field else 0.0) for m, r in zip(SEA_MEAN, ROUGH_SEA)]
        features = [round(rng.gauss(m, 1.0), 4) for m in mean]
        images.append({"id": "%s-%04d" % (prefix, i), "features": features, "ship": ship})
    return images


def score(model, features):
    """The model's probability that the image shows a ship."""
    z = model["bias"] + sum(w * x for w, x in zip(model["weights"], features))
    if z < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def detect(model, images):
    """The detections of `model` over `images` (labels are not looked at)."""
    out = []
    for img in images:
        s = score(model, img["features"])
        out.append({"id": img["id"], "features": img["features"], "score": round(s, 4),
                    "ship": s >= model["threshold"]})
    return out


def accuracy(model, images):
    """The share of `images` whose label the model gets right."""
    if not images:
        return 0.0
    right = sum(1 for d, img in zip(detect(model, images), images) if d["ship"] == img["ship"])
    return right / len(images)


def log_loss(model, images):
    total = 0.0
    for img in images:
        p = min(max(score(model, img["features"]), 1e-9), 1 - 1e-9)
        total -= math.log(p) if img["ship"] else math.log(1 - p)
    return total / max(len(images), 1)


def sgd_epoch(model, images, lr, rng):
    """One pass of stochastic gradient descent over `images`, shuffled."""
    order = list(range(len(images)))
    rng.shuffle(order)
    for i in order:
        img = images[i]
        err = score(model, img["features"]) - (1.0 if img["ship"] else 0.0)
        model["weights"] = [w - lr * err * x for w, x in zip(model["weights"], img["features"])]
        model["bias"] -= lr * err


def new_model(name):
    return {"name": name, "weights": [0.0] * FEATURES, "bias": 0.0, "threshold": 0.5}


def rounded(model):
    """The model with its numbers rounded, as it is saved."""
    m = dict(model)
    m["weights"] = [round(w, 6) for w in model["weights"]]
    m["bias"] = round(model["bias"], 6)
    return m


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, doc):
    """Writes `doc` atomically: a temporary file next to `path`, then a rename."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, ".%s.tmp-%d" % (os.path.basename(path), os.getpid()))
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def train_baseline():
    """The factory model: trained on calm harbour water."""
    model = new_model("factory-harbour-v1")
    rng = random.Random(11)
    images = make_images(1, 400, field=False, prefix="harbour")
    for _ in range(20):
        sgd_epoch(model, images, 0.05, rng)
    model["trained_on"] = "400 harbour images (calm sea)"
    return rounded(model)


if __name__ == "__main__":
    if sys.argv[1:] != ["baseline"]:
        sys.exit("usage: ships.py baseline > baseline-model.json")
    json.dump(train_baseline(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
