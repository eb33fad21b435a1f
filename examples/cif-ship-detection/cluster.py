#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster's part: retraining and evaluation (standard library only).

    python3 cluster.py retrain    # train on the field's distribution; ask a human on the way
    python3 cluster.py evaluate   # the retrained model against the factory one

`retrain` reads detections.json (the field unit's detections, moved here by
Vigil) to learn which batch the field saw, trains a logistic-regression
detector on annotated images of the field's rough sea plus that batch, for
$VIGIL_PARAM_EPOCHS epochs (the `epochs` param of the `validate` gate), and
appends one row per epoch to metrics/retrain.csv in the run directory. After
--checkpoint-at epochs it posts the checkpoint `retrain-progress` through
vigil_job.py and goes on training; every later epoch polls for the decision
(never waiting): `stop` keeps the model as it is now, `continue` trains to the
end. A decision still missing when training ends is waited for at most
--decision-wait seconds. It writes model.json.

`evaluate` scores model.json and baseline-model.json on held-out field images
and writes report.json and report.md.
"""

import argparse
import os
import random
import sys
import time

import ships

CHECKPOINT = "retrain-progress"


def precision_recall(model, images):
    found = ships.detect(model, images)
    tp = sum(1 for d, img in zip(found, images) if d["ship"] and img["ship"])
    fp = sum(1 for d, img in zip(found, images) if d["ship"] and not img["ship"])
    fn = sum(1 for d, img in zip(found, images) if not d["ship"] and img["ship"])
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def apply_decision(vigil_job, decision, epoch, epochs):
    """Acknowledges the decision; True when training stops here."""
    stop = decision["option"] == "stop"
    outcome = ("stopped early after epoch %d" % epoch if stop
               else "continued at epoch %d to epoch %d" % (epoch, epochs))
    vigil_job.ack(CHECKPOINT, outcome)
    print("decision %s by %s: %s" % (decision["option"], decision["decided_by"], outcome),
          flush=True)
    return stop


def retrain(args):
    import vigil_job  # Vigil's twin of vigil-job, on PYTHONPATH in every Vigil job

    epochs = int(os.environ.get("VIGIL_PARAM_EPOCHS") or args.epochs)
    batch = ships.load_json("detections.json")["batch"]
    # The analysts annotated the field's batch; the archive holds more images
    # of the same rough sea.
    train = (ships.make_images(7, 400, field=True, prefix="archive") +
             ships.make_images(batch["seed"], batch["images"], field=True))
    val = ships.make_images(31, 150, field=True, prefix="val")
    rng = random.Random(args.seed)
    model = ships.new_model("retrained-" + (os.environ.get("VIGIL_RUN_ID") or "local"))
    posted = False
    decided = None
    trained = 0
    print("retraining for %d epochs on %d images" % (epochs, len(train)), flush=True)
    for epoch in range(1, epochs + 1):
        ships.sgd_epoch(model, train, args.lr, rng)
        trained = epoch
        loss, val_loss = ships.log_loss(model, train), ships.log_loss(model, val)
        val_acc = ships.accuracy(model, val)
        vigil_job.log_metrics({"loss": round(loss, 5), "val_loss": round(val_loss, 5),
                               "val_accuracy": round(val_acc, 4)},
                              step=epoch, file="metrics/retrain.csv")
        print("epoch %d: loss %.4f val_loss %.4f val_accuracy %.3f"
              % (epoch, loss, val_loss, val_acc), flush=True)
        if epoch == args.checkpoint_at and epoch < epochs:
            vigil_job.checkpoint(
                CHECKPOINT,
                "Validation accuracy %.3f after %d of %d epochs: keep training?"
                % (val_acc, epoch, epochs),
                options=[("continue", "Train all %d epochs" % epochs),
                         ("stop", "Stop now and keep this model")],
                body="Training goes on while you decide. **Stop** saves the model as it is "
                     "after the epoch that reads your answer; **Train all** goes to the end.",
                default="continue",
                metrics=[{"file": "metrics/retrain.csv", "x": "step",
                          "columns": ["loss", "val_loss", "val_accuracy"]}],
                deadline=args.deadline)
            posted = True
            print("checkpoint %s posted; training goes on" % CHECKPOINT, flush=True)
        elif posted and decided is None:
            decided = vigil_job.decision(CHECKPOINT)
            if decided is not None and apply_decision(vigil_job, decided, epoch, epochs):
                break
        time.sleep(args.epoch_seconds)
    if posted and decided is None:
        print("training ended before a decision: waiting at most %gs" % args.decision_wait,
              flush=True)
        decided = vigil_job.wait(CHECKPOINT, timeout=args.decision_wait)
        if decided is not None:
            apply_decision(vigil_job, decided, trained, trained)
    model["epochs_requested"] = epochs
    model["epochs_trained"] = trained
    model["trained_on"] = "%d annotated images of the field's sea" % len(train)
    model["validation_accuracy"] = round(ships.accuracy(model, val), 4)
    ships.write_json("model.json", ships.rounded(model))
    print("wrote model.json: %s, %d epochs, validation accuracy %.3f"
          % (model["name"], trained, model["validation_accuracy"]), flush=True)
    return 0


def scores(model, images):
    precision, recall = precision_recall(model, images)
    return {"model": model["name"], "accuracy": round(ships.accuracy(model, images), 4),
            "precision": round(precision, 4), "recall": round(recall, 4),
            "log_loss": round(ships.log_loss(model, images), 4)}


def evaluate(args):
    model = ships.load_json("model.json")
    baseline = ships.load_json("baseline-model.json")
    test = ships.make_images(99, 300, field=True, prefix="test")
    report = {"model": model["name"], "test_images": len(test),
              "retrained": scores(model, test), "baseline": scores(baseline, test)}
    ships.write_json("report.json", report)
    lines = ["# Evaluation of %s" % model["name"], "",
             "%d held-out images of the field's sea." % len(test), "",
             "| model | accuracy | precision | recall | log loss |",
             "| --- | --- | --- | --- | --- |"]
    for key in ("baseline", "retrained"):
        s = report[key]
        lines.append("| %s | %.3f | %.3f | %.3f | %.3f |" % (
            s["model"], s["accuracy"], s["precision"], s["recall"], s["log_loss"]))
    with open("report.md", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["retrain", "evaluate"])
    ap.add_argument("--epochs", type=int, default=30, help="when $VIGIL_PARAM_EPOCHS is unset")
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--epoch-seconds", type=float, default=1.0)
    ap.add_argument("--checkpoint-at", type=int, default=3)
    ap.add_argument("--deadline", default="30m")
    ap.add_argument("--decision-wait", type=float, default=60.0)
    args = ap.parse_args()
    return retrain(args) if args.command == "retrain" else evaluate(args)


if __name__ == "__main__":
    sys.exit(main())
