#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The field unit: ship detection on a CPU-only machine (standard library only).

    python3 field.py detect   # the current model over today's batch
    python3 field.py deploy   # install the retrained model, then detect again

The field unit's model directory is $FIELD_MODEL_DIR (relative to the working
directory, or absolute): `current.json` there is the model in service; without
one, the factory model `baseline-model.json` is. `detect` writes
detections.json and summary.json; `deploy` installs model.json (moved here by
Vigil from the cluster) once report.json says it beats the model in service,
keeps the one it replaces as previous.json, and writes
detections-deployed.json and summary-deployed.json with the new model.

The batch is synthetic, so the summaries can also say how many answers were
right (`ground_truth_accuracy`): a real field unit would not know that.
"""

import argparse
import os
import sys

import ships


def model_dir():
    return os.environ.get("FIELD_MODEL_DIR") or "field-unit/models"


def model_in_service():
    current = os.path.join(model_dir(), "current.json")
    if os.path.exists(current):
        return ships.load_json(current)
    return ships.load_json("baseline-model.json")


def run_detection(model, args, detections_path, summary_path):
    images = ships.make_images(args.batch_seed, args.images, field=True)
    found = ships.detect(model, images)
    batch = {"seed": args.batch_seed, "images": args.images, "site": "field"}
    ships.write_json(detections_path, {"model": model["name"], "batch": batch,
                                       "detections": found})
    summary = {
        "model": model["name"],
        "images": len(found),
        "ships_detected": sum(1 for d in found if d["ship"]),
        "mean_score": round(sum(d["score"] for d in found) / max(len(found), 1), 4),
        "ground_truth_accuracy": round(ships.accuracy(model, images), 4),
        "batch": batch,
    }
    ships.write_json(summary_path, summary)
    print("model %s: %d ships in %d images (ground truth accuracy %.3f)"
          % (model["name"], summary["ships_detected"], summary["images"],
             summary["ground_truth_accuracy"]), flush=True)
    return summary


def deploy(args):
    new = ships.load_json("model.json")
    report = ships.load_json("report.json")
    old = model_in_service()
    if report.get("model") != new["name"]:
        print("report.json is about model %s, not %s: not deployed"
              % (report.get("model"), new["name"]), file=sys.stderr)
        return 1
    if report["retrained"]["accuracy"] < report["baseline"]["accuracy"]:
        print("the retrained model is worse than the factory one (%.3f < %.3f): not deployed"
              % (report["retrained"]["accuracy"], report["baseline"]["accuracy"]),
              file=sys.stderr)
        return 1
    directory = model_dir()
    ships.write_json(os.path.join(directory, "previous.json"), old)
    ships.write_json(os.path.join(directory, "current.json"), new)
    print("installed %s in %s (replacing %s)" % (new["name"], directory, old["name"]), flush=True)
    run_detection(model_in_service(), args, "detections-deployed.json", "summary-deployed.json")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["detect", "deploy"])
    ap.add_argument("--batch-seed", type=int, default=2024)
    ap.add_argument("--images", type=int, default=200)
    args = ap.parse_args()
    if args.command == "detect":
        run_detection(model_in_service(), args, "detections.json", "summary.json")
        return 0
    return deploy(args)


if __name__ == "__main__":
    sys.exit(main())
