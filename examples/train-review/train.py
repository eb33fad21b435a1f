#!/usr/bin/env python3
"""A small training loop with a human checkpoint, using only the standard library.

It fits y = 3x - 2 with stochastic gradient descent, appends one row per epoch
to metrics/train.csv, and at epoch --checkpoint-at asks its supervisor, through
vigil-job, whether to go on, stop early or change the learning rate. It never
stops to wait: every later epoch polls for the decision and acts on it when it
arrives. With --every N it asks again (checkpoint epoch-M) N epochs after each
decision it applied.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time

PENDING = 3  # vigil-job's exit code for "no decision yet"


def vigil_job(*args):
    """Runs vigil-job with an argv list (never through a shell)."""
    helper = os.environ.get("VIGIL_JOB", "vigil-job")
    return subprocess.run([helper, *args], capture_output=True, text=True, check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--epoch-seconds", type=float, default=2.0)
    ap.add_argument("--checkpoint-at", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--every", type=int, default=0,
                    help="ask again N epochs after each applied decision (default: ask once)")
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    data = [(x, 3.0 * x - 2.0 + rng.gauss(0, 0.3)) for x in (rng.uniform(-2, 2) for _ in range(256))]
    w, b, lr = 0.0, 0.0, args.lr

    os.makedirs("metrics", exist_ok=True)
    metrics_path = os.path.join("metrics", "train.csv")
    with open(metrics_path, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "loss", "val_loss"])

    next_at = args.checkpoint_at
    checkpoint_id = ""
    asked = False
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(data)
        for x, y in data[:200]:
            err = (w * x + b) - y
            w -= lr * err * x
            b -= lr * err
        loss = sum(((w * x + b) - y) ** 2 for x, y in data[:200]) / 200
        val = sum(((w * x + b) - y) ** 2 for x, y in data[200:]) / 56
        with open(metrics_path, "a", newline="") as f:
            csv.writer(f).writerow([epoch, f"{loss:.5f}", f"{val:.5f}"])
        print(f"epoch {epoch}: loss {loss:.4f} val_loss {val:.4f}", flush=True)

        if epoch == next_at and not asked:
            checkpoint_id = f"epoch-{epoch}"
            r = vigil_job(
                "checkpoint", "--id", checkpoint_id,
                "--title", f"Validation loss {val:.3f} after {epoch} epochs: keep training?",
                "--body", "The model is still improving slowly. **Stop** saves the current "
                          "weights and frees the allocation; **Continue** trains to the end; "
                          "**Change learning rate** continues with the rate you set.",
                "--option", "continue=Continue training", "--option", "stop=Stop early",
                "--option", "lr=Change learning rate",
                "--default", "continue",
                "--param", f"lr:number={lr!r},min=1e-06,max=1,label=Learning rate",
                "--metrics", "metrics/train.csv,x=epoch,columns=loss:val_loss",
                "--deadline", "30m",
            )
            if r.returncode != 0:
                print(f"cannot post checkpoint: {r.stderr.strip()}", file=sys.stderr)
                return 1
            asked = True
            print(f"checkpoint {checkpoint_id} posted; training goes on", flush=True)
        elif asked:
            r = vigil_job("decision", "--id", checkpoint_id, "--json")
            if r.returncode == 0:
                decision = json.loads(r.stdout)
                option = decision["option"]
                print(f"decision: {option} (by {decision['decided_by']})", flush=True)
                if option == "stop":
                    outcome = f"stopped early after epoch {epoch}"
                    vigil_job("ack", "--id", checkpoint_id, "--outcome", outcome)
                    print(outcome, flush=True)
                    return 0
                if option == "lr":
                    p = vigil_job("param", "--id", checkpoint_id, "lr")
                    if p.returncode != 0:
                        print(f"vigil-job param failed: {p.stderr.strip()}", file=sys.stderr)
                        return 1
                    lr = float(p.stdout)
                    outcome = f"learning rate set to {lr:g} at epoch {epoch}"
                else:
                    outcome = f"continued at epoch {epoch}"
                vigil_job("ack", "--id", checkpoint_id, "--outcome", outcome)
                print(outcome, flush=True)
                asked = False  # decided: stop polling
                checkpoint_id = ""
                next_at = epoch + args.every if args.every > 0 else None
            elif r.returncode != PENDING:
                print(f"vigil-job decision failed: {r.stderr.strip()}", file=sys.stderr)
        time.sleep(args.epoch_seconds)
    print(f"finished {args.epochs} epochs: w={w:.3f} b={b:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
