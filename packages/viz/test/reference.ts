// An independent forward pass for tests: plain loops over nested arrays,
// sharing no code with core's kernels, to check grid values against.
import type { Mlp } from "@backprop-lab/core";

function act(z: number[], f: string): number[] {
  switch (f) {
    case "sigmoid":
      return z.map((v) => 1 / (1 + Math.exp(-v)));
    case "tanh":
      return z.map((v) => Math.tanh(v));
    case "relu":
      return z.map((v) => (v > 0 ? v : 0));
    case "leaky-relu":
      return z.map((v) => (v > 0 ? v : 0.01 * v));
    case "linear":
      return z;
    case "softmax": {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
    default:
      throw new Error(`unknown activation ${f}`);
  }
}

/** Every layer's activations for one input row: [x, a1, …, aL]. */
export function referenceLayers(net: Mlp, x: number[]): number[][] {
  const out = [x];
  let a = x;
  for (const layer of net.layers) {
    const z: number[] = [];
    for (let j = 0; j < layer.nOut; j++) {
      let s = layer.b ? layer.b[j]! : 0;
      for (let i = 0; i < layer.nIn; i++) s += a[i]! * layer.W[i * layer.nOut + j]!;
      z.push(s);
    }
    a = act(z, layer.activation);
    out.push(a);
  }
  return out;
}

/** The network's outputs for one input row. */
export function referenceForward(net: Mlp, x: number[]): number[] {
  return referenceLayers(net, x).at(-1)!;
}

/** The Playground features of a point, written out by hand. */
export function referenceFeatures(x1: number, x2: number, features: readonly string[]): number[] {
  const table: Record<string, number> = {
    x1,
    x2,
    x1sq: x1 * x1,
    x2sq: x2 * x2,
    x1x2: x1 * x2,
    sinx1: Math.sin(x1),
    sinx2: Math.sin(x2),
  };
  return features.map((f) => table[f]!);
}

/**
 * Every cell's outputs for a width × height grid over a domain, row 0 at the top (yMax), written out
 * by hand: the cell centre, its features, then referenceForward. Flattened (cell, output).
 */
export function referenceGrid(
  net: Mlp,
  width: number,
  height: number,
  domain: { xMin: number; xMax: number; yMin: number; yMax: number },
  features: readonly string[] = ["x1", "x2"],
): number[] {
  const out: number[] = [];
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const x1 = domain.xMin + ((c + 0.5) / width) * (domain.xMax - domain.xMin);
      const x2 = domain.yMax - ((r + 0.5) / height) * (domain.yMax - domain.yMin);
      out.push(...referenceForward(net, referenceFeatures(x1, x2, features)));
    }
  }
  return out;
}
