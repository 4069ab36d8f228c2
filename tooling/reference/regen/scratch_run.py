"""Recomputes scratch-mlp-xor-run.json with numpy and checks it against the committed file.

An independent program: numpy float64, the original course code's update rule (see the file's
"training" field), not our engine. Usage, from the repository root:
    python3 tooling/reference/regen/scratch_run.py                 # every run, all 1,000,000 updates (minutes)
    python3 tooling/reference/regen/scratch_run.py --updates 2000  # only what is logged up to update 2,000
It checks the data set, the initial weights and every logged loss, accuracy, sum of squares,
curve point and spike statistic up to --updates, with the file's own tolerances, and exits
non-zero naming the first value that differs.
"""
import json
import sys
from pathlib import Path

import numpy as np

PATH = Path(__file__).resolve().parent.parent / "scratch-mlp-xor-run.json"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def data():
    X = np.random.RandomState(0).randn(300, 2)
    label = np.logical_xor(X[:, 0] > 0, X[:, 1] > 0).astype(int)
    Y = np.eye(2)[label]
    return X, label, Y


def init(hidden):
    np.random.seed(2017)
    W1 = 2 * np.random.random((2, hidden)) - 1
    W2 = 2 * np.random.random((hidden, 2)) - 1
    return W1 / np.sqrt(2), W2 / np.sqrt(hidden)


def accuracy(X, label, W1, W2):
    if not (np.all(np.isfinite(W1)) and np.all(np.isfinite(W2))):
        return None
    pred = np.argmax(sigmoid(X @ W1) @ W2, axis=1)
    return float(np.mean(pred == label))


def simulate(run, X, label, Y, updates):
    """Yields (k, loss after k updates, W1, W2) for k = 0 .. updates."""
    W1, W2 = init(run["hidden"])
    Xb, Yb = X[:50], Y[:50]
    n, lr, reg = 50, run["learning_rate"], run["reg_coeff"]
    bug = "original bug" in run["l2_gradient"]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(updates + 1):
            h1 = sigmoid(Xb @ W1)
            h2 = sigmoid(h1 @ W2)
            loss = np.sum((Yb - h2) ** 2) / (2 * n) + reg * (np.sum(W1**2) + np.sum(W2**2)) / (2 * n)
            yield k, float(loss), W1, W2
            if k == updates:
                return
            d2 = -(Yb - h2) * h2 * (1 - h2)
            d1 = (d2 @ W2.T) * h1 * (1 - h1)
            R1 = reg * np.sum(W1**2) if bug else reg * W1
            R2 = reg * np.sum(W2**2) if bug else reg * W2
            G2 = h1.T @ d2 + R2
            G1 = Xb.T @ d1 + R1
            W1 = W1 - lr * G1
            W2 = W2 - lr * G2


class Checker:
    def __init__(self, tol):
        self.tol = tol
        self.count = 0

    def close(self, what, got, want, rel=None, abs_=None):
        self.count += 1
        if want is None or got is None:
            if want is not got and not (want is None and got is None):
                sys.exit(f"{what}: expected {want}, got {got}")
            return
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        if not np.all(np.isfinite(want)):
            if not np.array_equal(np.isfinite(got), np.isfinite(want)):
                sys.exit(f"{what}: expected {want}, got {got}")
            return
        bound = rel * np.abs(want) if rel is not None else abs_
        if not np.all(np.abs(got - want) <= bound):
            sys.exit(f"{what}: expected {want.ravel()[:4]}, got {got.ravel()[:4]}")


def main():
    updates = 1_000_000
    if "--updates" in sys.argv:
        updates = int(sys.argv[sys.argv.index("--updates") + 1])
    ref = json.loads(PATH.read_text())
    tol = ref["tolerance"]
    check = Checker(tol)
    X, label, Y = data()
    check.close("dataset.X", X, ref["dataset"]["X"], abs_=0.0)
    check.close("dataset.label", label, ref["dataset"]["label"], abs_=0.0)
    for hidden in (3, 50):
        W1, W2 = init(hidden)
        check.close(f"init.hidden_{hidden}.W1", W1, ref["init"][f"hidden_{hidden}"]["W1"], abs_=0.0)
        check.close(f"init.hidden_{hidden}.W2", W2, ref["init"][f"hidden_{hidden}"]["W2"], abs_=0.0)
    for run in ref["runs"]:
        rid = run["id"]
        curve1000 = run.get("loss_curve_every_1000_to_120000")
        spike = run.get("spike")
        running_min, min_at, above_at, nonfinite_at = np.inf, None, None, None
        for k, loss, W1, W2 in simulate(run, X, label, Y, min(updates, run["updates"])):
            if str(k) in run["loss_after_updates"]:
                check.close(f"{rid}.loss_after_updates[{k}]", loss, run["loss_after_updates"][str(k)], rel=tol["loss_rel"])
            if k % 10000 == 0:
                check.close(f"{rid}.loss_curve_every_10000[{k // 10000}]", loss, run["loss_curve_every_10000"][k // 10000], rel=tol["loss_rel"])
            if curve1000 and k % 1000 == 0 and k <= 120000:
                check.close(f"{rid}.loss_curve_every_1000_to_120000[{k // 1000}]", loss, curve1000[k // 1000], rel=tol["loss_rel"])
            if str(k) in run["accuracy_after_updates"]:
                want = run["accuracy_after_updates"][str(k)]
                got = accuracy(X, label, W1, W2)
                got = None if got is None else {"train50": accuracy(X[:50], label[:50], W1, W2), "all300": got}
                for part in ("train50", "all300"):
                    check.close(f"{rid}.accuracy_after_updates[{k}].{part}", None if got is None else got[part], None if want is None else want[part], abs_=tol["accuracy_abs"])
            if str(k) in run["sum_sq_weights_after_updates"]:
                want = run["sum_sq_weights_after_updates"][str(k)]
                for name, W in (("W1", W1), ("W2", W2)):
                    s = float(np.sum(W**2))
                    check.close(f"{rid}.sum_sq_weights_after_updates[{k}].{name}", s if np.isfinite(s) else None, want[name], rel=tol["loss_rel"])
            if k == 1 and "weights_after_1_update" in run:
                for name, W in (("W1", W1), ("W2", W2)):
                    check.close(f"{rid}.weights_after_1_update.{name}", W, run["weights_after_1_update"][name], abs_=tol["weights_abs"])
            if spike:
                if np.isfinite(loss) and loss < running_min:
                    running_min, min_at = loss, k
                elif above_at is None and np.isfinite(loss) and loss > 1.1 * running_min:
                    above_at = k
                if nonfinite_at is None and not np.isfinite(loss):
                    nonfinite_at = k
                    break
        if spike and updates >= spike["first_nonfinite_loss_after_updates"]:
            check.close(f"{rid}.spike.min_loss", running_min, spike["min_loss"], rel=tol["loss_rel"])
            for key, got in (("min_loss_after_updates", min_at), ("first_loss_10pct_above_running_min_after_updates", above_at), ("first_nonfinite_loss_after_updates", nonfinite_at)):
                check.close(f"{rid}.spike.{key}", got, spike[key], abs_=0)
        print(f"{rid}: ok up to update {min(updates, run['updates'])}", flush=True)
    print(f"scratch-mlp-xor-run.json: {check.count} values agree with numpy")


if __name__ == "__main__":
    main()
