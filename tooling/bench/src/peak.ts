import wabtInit from "wabt";

/**
 * The machine's measured WebAssembly SIMD peak in float64: a loop of f64x2
 * multiply-then-add (no fused multiply-add, as in our kernels) on K
 * independent accumulators, so the floating-point units, not the latency of
 * one dependency chain, bound it. Each iteration does K f64x2.mul and K
 * f64x2.add: 4·K flops. The best of several runs and of a few K is the peak
 * (a peak is a maximum; a slow run only means the machine was busy).
 */
export interface SimdPeak {
  /** Floating-point operations per second (a multiply and an add count as two). */
  flopsPerSecond: number;
  /** Accumulators of the best kernel. */
  chains: number;
  /** Iterations of one timed call. */
  iterations: number;
  /** How it was measured, for RESULTS.md. */
  method: string;
}

export const PEAK_CHAINS = [4, 8, 12] as const;

/** The text of a module exporting `peak(iterations) -> f64` with `chains` accumulators. */
export function peakKernelWat(chains: number): string {
  const ks = Array.from({ length: chains }, (_, k) => k);
  return `(module
  (func (export "peak") (param $n i32) (result f64)
    (local $m v128) (local $c v128) ${ks.map((k) => `(local $a${k} v128)`).join(" ")}
    (local.set $m (f64x2.splat (f64.const 0.9999999)))
    (local.set $c (f64x2.splat (f64.const 1e-7)))
    ${ks.map((k) => `(local.set $a${k} (f64x2.splat (f64.const ${1 + k / 64})))`).join("\n    ")}
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
      ${ks.map((k) => `(local.set $a${k} (f64x2.add (f64x2.mul (local.get $a${k}) (local.get $m)) (local.get $c)))`).join("\n      ")}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (f64.add
      (f64x2.extract_lane 0 ${ks.slice(1).reduce((acc, k) => `(f64x2.add ${acc} (local.get $a${k}))`, "(local.get $a0)")})
      (f64x2.extract_lane 1 (local.get $a0)))))`;
}

// Node has WebAssembly; the node typings (no DOM lib) do not declare it as a value
interface WasmApi {
  instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

export async function peakKernel(chains: number): Promise<(iterations: number) => number> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat(`peak${chains}.wat`, peakKernelWat(chains), { simd: true });
  try {
    const { buffer } = parsed.toBinary({});
    const { instance } = await wasmApi().instantiate(buffer);
    return instance.exports.peak as (iterations: number) => number;
  } finally {
    parsed.destroy();
  }
}

/** Measures the peak: `rounds` timed calls of `iterations` per kernel, the best one wins. */
export async function measureSimdPeak({ iterations = 4_000_000, rounds = 5 } = {}): Promise<SimdPeak> {
  let best = { flopsPerSecond: 0, chains: 0 };
  for (const chains of PEAK_CHAINS) {
    const peak = await peakKernel(chains);
    peak(iterations / 10); // compiled by the optimizing tier before the clock starts
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const sink = peak(iterations);
      const seconds = (performance.now() - t0) / 1000;
      if (!Number.isFinite(sink)) throw new Error("the SIMD peak kernel returned a non-finite sum");
      const flopsPerSecond = (4 * chains * iterations) / seconds;
      if (flopsPerSecond > best.flopsPerSecond) best = { flopsPerSecond, chains };
    }
  }
  return {
    ...best,
    iterations,
    method:
      `f64x2.mul then f64x2.add (no fused multiply-add) on ${PEAK_CHAINS.join(", ")} independent accumulators in a WebAssembly loop, ` +
      `${iterations.toLocaleString("en-US")} iterations a call, best of ${rounds} calls each; ${best.chains} accumulators were fastest. One thread.`,
  };
}

/**
 * Floating-point work of one full-batch training step of a dense network on
 * n rows, counting the matrix products only (2 flops per multiply-add):
 * forward x·W (every layer), the weight gradient aᵀ·δ (every layer) and the
 * back-propagated δ·Wᵀ (every layer but the first). Activations, biases and
 * the update are O(n·units) and left out, so the share of peak is a lower bound.
 */
export function trainingStepFlops(sizes: readonly number[], n: number): number {
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const mac = n * sizes[l]! * sizes[l + 1]!;
    flops += 2 * mac * (l === 0 ? 2 : 3);
  }
  return flops;
}

/** Forward pass only, matrix products only: 2·n·Σ nIn·nOut. */
export function forwardFlops(sizes: readonly number[], n: number): number {
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) flops += 2 * n * sizes[l]! * sizes[l + 1]!;
  return flops;
}
