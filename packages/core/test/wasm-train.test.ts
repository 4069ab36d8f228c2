import { execFileSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMlp, evaluate, makeDataset, predict, createTrainingRun, createTrainer, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, presetDocument, PRESETS, wasmTrainingAvailable, type HiddenActivation, type LossName, type OptimizerConfig, type OutputActivation, type Regularization, type StepReport, type Trainer } from "../src/index.js";
import { createWorkspace } from "../src/internal.js";
import { backpropErrorOf, typedArraysMade } from "./helpers.js";

// The oracle is the JavaScript path (kernels.ts, activations.ts, fast-math.ts, loss.ts, regularization.ts, clip.ts,
// optimizers.ts), written and run apart from the WebAssembly text of scripts/gen-wasm-train.mjs: two implementations
// of one order of operations. One differing bit anywhere (parameters, gradients, moments, report) fails.

/** The same double, NaN included (any NaN matches any NaN: engines do not promise NaN bits). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!Object.is(x, y)) return `index ${i}: ${x} against ${y}`;
  }
  return null;
}

const REPORT_NUMBERS = ["step", "loss", "dataLoss", "regLoss", "gradNorm", "learningRate", "batchSize", "clippedNorm"] as const;

function compareTrainers(wasm: Trainer, js: Trainer, what: string): void {
  const checks: [string, ArrayLike<number>, ArrayLike<number>][] = [
    ["params", wasm.net.params, js.net.params],
    ["grads", wasm.grads.data, js.grads.data],
    ["m", wasm.optimizerState().m, js.optimizerState().m],
    ["v", wasm.optimizerState().v, js.optimizerState().v],
    ["report", REPORT_NUMBERS.map((k) => wasm.report[k]), REPORT_NUMBERS.map((k) => js.report[k])],
  ];
  for (const [name, a, b] of checks) {
    const diff = sameBits(a, b);
    if (diff) throw new Error(`${what}: ${name} differ at ${diff}`);
  }
  const flags = (r: StepReport) => [r.finite, r.skipped, r.clipped, JSON.stringify(r.nonFinite)].join();
  if (flags(wasm.report) !== flags(js.report)) throw new Error(`${what}: report flags ${flags(wasm.report)} against ${flags(js.report)}`);
}

const optimizerArb: fc.Arbitrary<OptimizerConfig> = fc.oneof(
  fc.constant<OptimizerConfig>({ kind: "sgd" }),
  fc.record({ kind: fc.constant("momentum" as const), momentum: fc.double({ min: 0, max: 0.99, noNaN: true }), nesterov: fc.boolean() }),
  fc.record({
    kind: fc.constant("adam" as const),
    beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
    beta2: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
    epsilon: fc.double({ min: 1e-10, max: 1e-3, noNaN: true }),
  }),
);

const regularizationArb: fc.Arbitrary<Regularization> = fc.oneof(
  fc.constant<Regularization>({ kind: "none", lambda: 0 }),
  fc.record({ kind: fc.constantFrom("l1" as const, "l2" as const), lambda: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
  fc.record({ kind: fc.constant("l2" as const), lambda: fc.double({ min: 0, max: 0.5, noNaN: true }), gradient: fc.constant("course-bug" as const) }),
);

describe("WebAssembly SIMD training kernels", () => {
  it("the committed module is what scripts/gen-wasm-train.mjs builds from its source", () => {
    execFileSync(process.execPath, [join(__dirname, "..", "scripts", "gen-wasm-train.mjs"), "--check"], { stdio: "pipe" });
  });

  it("run in Node 20, and a trainer takes them by default", () => {
    expect(wasmTrainingAvailable()).toBe(true);
    const net = createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "sigmoid", bias: true });
    expect(createTrainer(net, { learningRate: 0.1 }).kernel).toBe("wasm");
    expect(createTrainer(net, { learningRate: 0.1, kernel: "js" }).kernel).toBe("js");
    expect(backpropErrorOf(() => createTrainer(net, { learningRate: 0.1, kernel: "gpu" as never })).message).toBe('kernel must be one of js, wasm, auto, got "gpu"');
  });

  it("give the JavaScript's bits on random networks, batches, losses, optimizers, penalties, schedules and clipping", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(...HIDDEN_ACTIVATIONS),
        fc.constantFrom(...OUTPUT_ACTIVATIONS),
        fc.boolean(),
        fc.integer({ min: 1, max: 0xffff }),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 4 }),
        optimizerArb,
        regularizationArb,
        fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: null }),
        fc.constantFrom("constant" as const, "cosine" as const, "exponential" as const),
        fc.double({ min: 1e-3, max: 3, noNaN: true }),
        fc.double({ min: 0.2, max: 8, noNaN: true }),
        (sizes, hidden: HiddenActivation, output: OutputActivation, bias, seed, batchSizes, optimizer, regularization, maxNorm, schedule, learningRate, scale) => {
          if (output === "softmax" && sizes[sizes.length - 1]! < 2) sizes = [...sizes.slice(0, -1), 2];
          const loss: LossName = output === "softmax" ? "cross-entropy" : output === "sigmoid" && seed % 2 === 0 ? "binary-cross-entropy" : "mse";
          const spec = { sizes, hidden, output, bias };
          const a = createMlp(spec, { seed });
          for (let i = 0; i < a.params.length; i++) a.params[i] = a.params[i]! * scale;
          const b = createMlp(spec, { seed });
          b.params.set(a.params);
          const capacity = Math.max(...batchSizes);
          const options = {
            learningRate,
            loss,
            optimizer,
            regularization,
            clipping: maxNorm === null ? null : { maxNorm },
            schedule: schedule === "cosine" ? { kind: "cosine" as const, totalSteps: 5 } : schedule === "exponential" ? { kind: "exponential" as const, decayRate: 0.7, decaySteps: 2 } : ("constant" as const),
            examples: seed % 3 === 0 ? null : 40,
            capacity,
          };
          const wasm = createTrainer(a, { ...options, kernel: "wasm" });
          const js = createTrainer(b, { ...options, kernel: "js" });
          const nIn = sizes[0]!;
          const nOut = sizes[sizes.length - 1]!;
          const x = Float64Array.from({ length: capacity * nIn }, (_, i) => Math.sin(seed + i * 1.7) * scale * 2);
          const y = new Float64Array(capacity * nOut);
          for (let r = 0; r < capacity; r++) {
            if (output === "softmax") y[r * nOut + ((r * 7 + seed) % nOut)] = 1;
            else for (let j = 0; j < nOut; j++) y[r * nOut + j] = output === "sigmoid" ? ((r + j + seed) % 2) : Math.cos(r * 0.9 + j + seed);
          }
          for (let s = 0; s < 4; s++) {
            const n = batchSizes[s % batchSizes.length]!;
            const off = (s * 3) % (capacity - n + 1);
            const batch = { x: x.subarray(off * nIn, (off + n) * nIn), y: y.subarray(off * nOut, (off + n) * nOut), n };
            wasm.step(batch);
            js.step(batch);
            compareTrainers(wasm, js, `sizes [${sizes}] ${hidden}/${output} ${loss} bias ${bias} ${JSON.stringify(optimizer)} ${JSON.stringify(regularization)} clip ${maxNorm} step ${s + 1} n ${n}`);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("give the JavaScript's bits where a hook changes the gradient or skips, and after a switch of kernel mid-run", () => {
    const spec = { sizes: [3, 9, 4], hidden: "relu" as const, output: "softmax" as const, bias: true };
    const a = createMlp(spec, { seed: 4 });
    const b = createMlp(spec, { seed: 4 });
    // one hook per trainer: each counts its own calls
    const seen = { skipped: 0, clipped: 0 };
    const makeHook = () => {
      let calls = 0;
      return ({ grads }: { grads: { data: Float64Array } }) => {
        calls++;
        if (calls % 5 === 0) return "skip" as const;
        for (let i = 0; i < grads.data.length; i += 3) grads.data[i] = grads.data[i]! * -0.5;
      };
    };
    const options = { learningRate: 0.2, loss: "cross-entropy" as const, optimizer: { kind: "adam" as const }, clipping: { maxNorm: 0.3 } };
    const wasm = createTrainer(a, { ...options, hooks: [makeHook()], kernel: "wasm" });
    const js = createTrainer(b, { ...options, hooks: [makeHook()], kernel: "js" });
    const x = Float64Array.from({ length: 30 * 3 }, (_, i) => Math.cos(i));
    const y = new Float64Array(30 * 4);
    for (let r = 0; r < 30; r++) y[r * 4 + (r % 4)] = 1;
    for (let s = 0; s < 40; s++) {
      if (s === 20) wasm.configure({ kernel: "js" });
      if (s === 30) wasm.configure({ kernel: "auto" });
      wasm.step({ x, y, n: 30 });
      js.step({ x, y, n: 30 });
      compareTrainers(wasm, js, `step ${s + 1}`);
      if (js.report.skipped) seen.skipped++;
      if (js.report.clipped) seen.clipped++;
    }
    expect(seen.skipped).toBe(8);
    expect(seen.clipped).toBeGreaterThan(0);
  });

  it("give the JavaScript's bits on every course and playground preset's run", () => {
    for (const preset of PRESETS) {
      const wasm = createTrainingRun(presetDocument(preset.id));
      const js = createTrainingRun(presetDocument(preset.id));
      js.trainer.configure({ kernel: "js" });
      expect(wasm.trainer.kernel).toBe("wasm");
      for (let s = 0; s < 60; s++) {
        wasm.step();
        js.step();
      }
      compareTrainers(wasm.trainer, js.trainer, preset.id);
    }
  });

  it("give the JavaScript's bits on the shapes each block of the dense kernel serves (wide layers, narrow outputs, one or two inputs, odd leftovers)", () => {
    // dW of a 1-, 2- or 3-output layer with pairs of rows in the lanes (16, 8, 6 rows a block, then the leftovers),
    // a one-input first layer (X's rows side by side in the forward product too), dW of a 2-input layer (2-row
    // blocks), column sums wider than 16, dense_small (1 to 4 inputs, or dX under 1 to 4 outputs; with a sigmoid
    // below, its dz fused), and bench workload B's own 2-50-2 at N = 400
    const shapes: [number[], number][] = [
      [[2, 50, 2], 400],
      [[2, 50, 2], 37],
      [[1, 35, 1], 41],
      [[3, 21, 3], 29],
      [[2, 19, 3, 1], 23],
      [[1, 2, 3], 18],
      [[5, 33, 7, 2], 13],
      [[4, 13, 4, 6], 19],
      [[3, 4, 1], 9],
    ];
    for (const [sizes, n] of shapes) for (const hidden of ["sigmoid", "tanh"] as const) {
      const spec = { sizes, hidden, output: "sigmoid" as const, bias: true };
      const a = createMlp(spec, { seed: n });
      const b = createMlp(spec, { seed: n });
      const nIn = sizes[0]!;
      const nOut = sizes[sizes.length - 1]!;
      const x = Float64Array.from({ length: n * nIn }, (_, i) => Math.sin(i * 0.37) * 3);
      const y = Float64Array.from({ length: n * nOut }, (_, i) => (i * 5) % 3 === 0 ? 1 : 0);
      const wasm = createTrainer(a, { learningRate: 1, loss: "mse", optimizer: { kind: "sgd" }, kernel: "wasm" });
      const js = createTrainer(b, { learningRate: 1, loss: "mse", optimizer: { kind: "sgd" }, kernel: "js" });
      for (let s = 0; s < 3; s++) {
        wasm.step({ x, y, n });
        js.step({ x, y, n });
        compareTrainers(wasm, js, `sizes [${sizes}] ${hidden} n ${n} step ${s + 1}`);
      }
    }
  });

  it("the first layer with one input: a 1-in 1-out network with the scalar edge values of exp and tanh", () => {
    for (const act of ["sigmoid", "tanh"] as const) {
      const spec = { sizes: [1, 5, 1], hidden: act, output: act === "sigmoid" ? ("sigmoid" as const) : ("tanh" as const), bias: true };
      const a = createMlp(spec, { seed: 9 });
      const b = createMlp(spec, { seed: 9 });
      const scale = new Float64Array([1, 400, 1, 200, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
      for (let i = 0; i < a.params.length; i++) a.params[i] = b.params[i] = b.params[i]! * scale[i % 16]!;
      const x = new Float64Array([0, -0, 3, -3, 22, -22, 750, -750, 1e-300, 5]);
      const y = Float64Array.from(x, (v, i) => (act === "sigmoid" ? i % 2 : Math.tanh(v / 10)));
      const wasm = createTrainer(a, { learningRate: 0.1, kernel: "wasm" });
      const js = createTrainer(b, { learningRate: 0.1, kernel: "js" });
      for (let s = 0; s < 5; s++) {
        wasm.step({ x, y, n: 10 });
        js.step({ x, y, n: 10 });
        compareTrainers(wasm, js, `${act} step ${s + 1}`);
      }
    }
  });

  it("predict and evaluate give the JavaScript's bits, with and without a workspace", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...HIDDEN_ACTIVATIONS),
        fc.constantFrom(...OUTPUT_ACTIVATIONS),
        fc.boolean(),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 0xffff }),
        (hiddenSizes, hidden: HiddenActivation, output: OutputActivation, bias, n, capacity, seed) => {
          const data = makeDataset(output === "softmax" ? "spiral" : "xor", { n, seed });
          const net = createMlp({ sizes: [2, ...hiddenSizes, data.nOut], hidden, output, bias }, { seed });
          for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! * (1 + (seed % 5));
          const viaWasm = predict(net, data.x, n, undefined, seed % 2 ? createWorkspace(net, capacity) : undefined, "wasm");
          const viaJs = predict(net, data.x, n, undefined, undefined, "js");
          const diff = sameBits(viaWasm, viaJs);
          if (diff) throw new Error(`predict [${hiddenSizes}] ${hidden}/${output}: ${diff}`);
          const loss: LossName = output === "softmax" ? "cross-entropy" : output === "sigmoid" && seed % 3 === 0 ? "binary-cross-entropy" : "mse";
          const ws = createWorkspace(net, capacity);
          const e1 = evaluate(net, data, { loss, regularization: { kind: "l2", lambda: 0.01 }, workspace: ws, kernel: "wasm" });
          // the loss is summed per chunk: the same chunks (the workspace's capacity) on both paths
          const e2 = evaluate(net, data, { loss, regularization: { kind: "l2", lambda: 0.01 }, workspace: createWorkspace(net, capacity), kernel: "js" });
          expect(sameBits([e1.loss, e1.dataLoss, e1.regLoss, e1.accuracy ?? 0], [e2.loss, e2.dataLoss, e2.regLoss, e2.accuracy ?? 0])).toBeNull();
          expect(e1.confusion).toEqual(e2.confusion);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("predict streams a grid through the kernels in chunks (bench workload D's 2-50-2, chunks of 256) with the JavaScript's bits, saturated units included", () => {
    const net = createMlp({ sizes: [2, 50, 2], hidden: "sigmoid", output: "sigmoid", bias: true }, { seed: 3 });
    // some first-layer weights scaled up, so some z lie past exp's fast range (|z| ≥ 708) and the sigmoid kernel's
    // groups (either of the two in a step) take their one-by-one fallback
    for (let i = 0; i < 100; i += 7) net.params[i] = net.params[i]! * 400;
    const side = 33; // 1089 rows: four chunks of 256 and 65 left over
    const n = side * side;
    const x = new Float64Array(2 * n);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        x[2 * (r * side + c)] = -6 + (12 * (c + 0.5)) / side;
        x[2 * (r * side + c) + 1] = 6 - (12 * (r + 0.5)) / side;
      }
    }
    // the first layer's z written out here: a mix of saturated and ordinary units
    const { W, b } = net.layers[0]!;
    let outside = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < 50; j++) if (Math.abs(b![j]! + x[2 * i]! * W[j]! + x[2 * i + 1]! * W[50 + j]!) >= 708) outside++;
    expect(outside).toBeGreaterThan(0);
    expect(outside).toBeLessThan(n * 50 / 4);
    const ws = createWorkspace(net, 256);
    expect(sameBits(predict(net, x, n, undefined, ws, "wasm"), predict(net, x, n, undefined, undefined, "js"))).toBeNull();
    // weights changed between calls with the same workspace: each call copies them in
    net.params[150] = net.params[150]! + 0.25;
    net.params[5] = net.params[5]! - 0.5;
    expect(sameBits(predict(net, x, n, undefined, ws, "wasm"), predict(net, x, n, undefined, undefined, "js"))).toBeNull();
  });

  it("allocate no typed array per step", () => {
    const net = createMlp({ sizes: [2, 50, 2], hidden: "sigmoid", output: "sigmoid", bias: true }, { seed: 1 });
    const trainer = createTrainer(net, { learningRate: 1, optimizer: "adam", regularization: { kind: "l2", lambda: 0.01 }, clipping: { maxNorm: 1 }, kernel: "wasm" });
    const x = Float64Array.from({ length: 400 * 2 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 400 * 2 }, (_, i) => i % 2);
    trainer.step({ x, y, n: 400 });
    expect(typedArraysMade("Float64Array", () => {
      for (let s = 0; s < 200; s++) trainer.step({ x, y, n: 400 });
    })).toBe(0);
  });
});
