"""numpy peer of `pnpm bench` (tooling/bench): the same full-batch gradient
descent as @backprop-lab/core, in float64, timed inside this process.

Protocol: one JSON object per line on stdin, one JSON reply per line on
stdout. Every reply has "ok"; a failed command replies
{"ok": false, "error": "..."}. Commands ("cmd"):

  ping                  -> {"ok": true} (the bench measures the pipe's round trip)
  hello                 -> versions, BLAS threads and kernel (threadpoolctl if present)
  setup  sizes, x, y, n, W, b, lr
                        -> the network (sigmoid layers with biases; W[l] is a
                           row-major nIn x nOut list, b[l] a list) and the data
  reset                 -> puts the starting weights back
  run    steps          -> `steps` steps; replies "ms" (perf_counter) and the last "loss"
  trace  k              -> from the start, k steps: "losses" before each update, then "W", "b"
  grid   x, m           -> keeps m points (m x nIn, row-major) for "forward"
  forward [return]      -> the outputs at the kept points; "out" only when "return" is true
  quit

A missing numpy replies {"ok": false, "error": "numpy missing: ..."} to
every command, so the bench can say why it skips this peer.
"""
import json
import sys
import time

try:
    import numpy as np
    NUMPY_ERROR = None
except ImportError as exc:  # the bench prints "numpy peer skipped: numpy missing: ..."
    np = None
    NUMPY_ERROR = f"numpy missing: {exc}"


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [
        {k: pool.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "threading_layer")}
        for pool in threadpool_info()
    ]


class Net:
    """Sigmoid MLP with biases, mse loss sum((y - yhat)^2) / (2n), plain SGD."""

    def __init__(self, msg):
        self.sizes = [int(s) for s in msg["sizes"]]
        self.n = int(msg["n"])
        self.lr = float(msg["lr"])
        n, sizes = self.n, self.sizes
        self.x = np.array(msg["x"], dtype=np.float64).reshape(n, sizes[0])
        self.y = np.array(msg["y"], dtype=np.float64).reshape(n, sizes[-1])
        self.W0 = [np.array(w, dtype=np.float64).reshape(a, b) for w, a, b in zip(msg["W"], sizes, sizes[1:])]
        self.b0 = [np.array(v, dtype=np.float64) for v in msg["b"]]
        self.W = [w.copy() for w in self.W0]
        self.b = [v.copy() for v in self.b0]
        # buffers made once: activations, deltas, gradients
        self.a = [self.x] + [np.empty((n, s)) for s in sizes[1:]]
        self.delta = [np.empty((n, s)) for s in sizes[1:]]
        self.tmp = [np.empty((n, s)) for s in sizes[1:]]
        self.gW = [np.empty_like(w) for w in self.W]
        self.gb = [np.empty_like(v) for v in self.b]
        self.grid = None

    def reset(self):
        for w, w0 in zip(self.W, self.W0):
            w[...] = w0
        for v, v0 in zip(self.b, self.b0):
            v[...] = v0

    @staticmethod
    def sigmoid_(z):
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        np.reciprocal(z, out=z)

    def forward(self, a, outs):
        for W, b, z in zip(self.W, self.b, outs):
            np.matmul(a, W, out=z)
            z += b
            self.sigmoid_(z)
            a = z
        return a

    def step(self):
        """One full-batch step; returns the loss before the update."""
        L = len(self.W)
        out = self.forward(self.x, self.a[1:])
        d = self.delta[L - 1]
        np.subtract(out, self.y, out=d)  # yhat - y
        loss = float(np.vdot(d, d)) / (2 * self.n)
        # dL/dz = (yhat - y) / n * yhat * (1 - yhat)
        d /= self.n
        t = self.tmp[L - 1]
        np.subtract(1.0, out, out=t)
        t *= out
        d *= t
        for l in range(L - 1, -1, -1):
            d = self.delta[l]
            np.matmul(self.a[l].T, d, out=self.gW[l])
            np.sum(d, axis=0, out=self.gb[l])
            if l > 0:
                prev = self.delta[l - 1]
                np.matmul(d, self.W[l].T, out=prev)  # with the weights before the update
                a = self.a[l]
                t = self.tmp[l - 1]
                np.subtract(1.0, a, out=t)
                t *= a
                prev *= t
            self.gW[l] *= self.lr
            self.W[l] -= self.gW[l]
            self.gb[l] *= self.lr
            self.b[l] -= self.gb[l]
        return loss

    def params(self):
        return {"W": [w.ravel().tolist() for w in self.W], "b": [v.tolist() for v in self.b]}


def handle(msg, state):
    cmd = msg.get("cmd")
    if cmd == "quit":
        return None
    if cmd == "ping":
        return {"ok": True}
    if NUMPY_ERROR is not None:
        return {"ok": False, "error": NUMPY_ERROR}
    if cmd == "hello":
        return {"ok": True, "python": sys.version.split()[0], "numpy": np.__version__, "blas": blas_info()}
    if cmd == "setup":
        state["net"] = Net(msg)
        return {"ok": True}
    net = state.get("net")
    if net is None:
        return {"ok": False, "error": f"{cmd!r} before setup"}
    if cmd == "reset":
        net.reset()
        return {"ok": True}
    if cmd == "run":
        steps = int(msg["steps"])
        t0 = time.perf_counter()
        loss = 0.0
        for _ in range(steps):
            loss = net.step()
        ms = (time.perf_counter() - t0) * 1000
        return {"ok": True, "ms": ms, "loss": loss}
    if cmd == "trace":
        net.reset()
        losses = [net.step() for _ in range(int(msg["k"]))]
        reply = {"ok": True, "losses": losses, **net.params()}
        net.reset()
        return reply
    if cmd == "grid":
        m = int(msg["m"])
        net.grid = np.array(msg["x"], dtype=np.float64).reshape(m, net.sizes[0])
        net.grid_outs = [np.empty((m, s)) for s in net.sizes[1:]]
        return {"ok": True}
    if cmd == "forward":
        if net.grid is None:
            return {"ok": False, "error": "'forward' before 'grid'"}
        t0 = time.perf_counter()
        out = net.forward(net.grid, net.grid_outs)
        ms = (time.perf_counter() - t0) * 1000
        reply = {"ok": True, "ms": ms}
        if msg.get("return"):
            reply["out"] = out.ravel().tolist()
        return reply
    return {"ok": False, "error": f"unknown command {cmd!r}"}


def main():
    state = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line), state)
        except Exception as exc:  # a bad message is answered, not fatal
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        if reply is None:
            break
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
