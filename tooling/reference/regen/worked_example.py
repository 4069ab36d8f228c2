"""Recomputes seed-worked-example.json's inputs and expected values with numpy.

An independent program: numpy float64, not our engine. Usage, from the repository root:
    python3 tooling/reference/regen/worked_example.py          # check the committed file
    python3 tooling/reference/regen/worked_example.py --write  # rewrite inputs and expected
"""
import json
import sys
from pathlib import Path

import numpy as np

PATH = Path(__file__).resolve().parent.parent / "seed-worked-example.json"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def compute():
    X = np.random.RandomState(0).randn(300, 2)[:1]
    y = np.array([[1.0, 0.0]])  # both coordinates > 0: XOR false, class 0
    np.random.seed(2017)
    W1 = (2 * np.random.random((2, 3)) - 1) / np.sqrt(2)
    W2 = (2 * np.random.random((3, 2)) - 1) / np.sqrt(3)
    lr = 0.001
    z1 = X @ W1
    h1 = sigmoid(z1)
    z2 = h1 @ W2
    h2 = sigmoid(z2)
    loss = 0.5 * np.sum((y - h2) ** 2)
    dL_dh2 = -(y - h2)
    dh2_dz2 = h2 * (1 - h2)
    dL_dz2 = dL_dh2 * dh2_dz2
    dL_dW2 = h1.T @ dL_dz2
    dL_dh1 = dL_dz2 @ W2.T  # the W2 before the update
    dh1_dz1 = h1 * (1 - h1)
    dL_dz1 = dL_dh1 * dh1_dz1
    dL_dW1 = X.T @ dL_dz1
    W1_next = W1 - lr * dL_dW1
    W2_next = W2 - lr * dL_dW2
    h2_after = sigmoid(sigmoid(X @ W1_next) @ W2_next)
    loss_after = 0.5 * np.sum((y - h2_after) ** 2)
    inputs = {"X": X, "y": y, "W1": W1, "W2": W2, "learning_rate": lr}
    expected = {
        "z1": z1, "h1": h1, "z2": z2, "h2": h2, "loss": loss, "dL_dh2": dL_dh2, "dh2_dz2": dh2_dz2,
        "dL_dz2": dL_dz2, "dL_dW2": dL_dW2, "dL_dh1": dL_dh1, "dh1_dz1": dh1_dz1, "dL_dz1": dL_dz1,
        "dL_dW1": dL_dW1, "W1_next": W1_next, "W2_next": W2_next, "loss_after_update": loss_after,
    }
    plain = lambda d: {k: (v.tolist() if isinstance(v, np.ndarray) else float(v)) for k, v in d.items()}
    return plain(inputs), plain(expected)


def flat(v):
    return np.array(v, dtype=float).ravel()


def main():
    ref = json.loads(PATH.read_text())
    inputs, expected = compute()
    if "--write" in sys.argv:
        ref["inputs"], ref["expected"] = inputs, expected
        PATH.write_text(json.dumps(ref, indent=2) + "\n")
        print(f"wrote {PATH}")
        return
    tol = ref["tolerance"]["expected_abs"]
    worst = 0.0
    for section, values in (("inputs", inputs), ("expected", expected)):
        for key, value in values.items():
            diff = float(np.max(np.abs(flat(ref[section][key]) - flat(value))))
            worst = max(worst, diff)
            if not diff <= tol:
                sys.exit(f"{section}.{key} differs by {diff} (tolerance {tol})")
    print(f"seed-worked-example.json: every input and expected value within {worst:.3g} of numpy (tolerance {tol})")


if __name__ == "__main__":
    main()
