import fc from "fast-check";
import { backpropErrorOf } from "./helpers.js";
import { describe, expect, it } from "vitest";
import { createMlp, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type HiddenActivation, type OutputActivation } from "../src/index.js";
import { createWasmForward, createWorkspace, forwardFast, wasmKernelsAvailable } from "../src/internal.js";

/** The same double, NaN included (any NaN matches any NaN: the engines do not promise NaN bits). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, n: number): string | null {
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!Object.is(x, y)) return `index ${i}: ${x} against ${y}`;
  }
  return null;
}

/** Values a grid meets and the edges of the kernels: zeros of both signs, the tanh clamp at ±22, saturation, NaN, ∞. */
const edgy = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 22, -22, 22.000000000000004, -21.999999999999996, 1e-300, -1e-300, 700, -700) },
  { weight: 1, arbitrary: fc.double() },
);

describe("WebAssembly kernels", () => {
  it("run in Node 20 (WebAssembly with 128-bit SIMD)", () => {
    expect(wasmKernelsAvailable()).toBe(true);
  });

  it("give forwardFast's bits for any shape, activation, batch size, bias choice and inputs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(...HIDDEN_ACTIVATIONS),
        fc.constantFrom(...OUTPUT_ACTIVATIONS),
        fc.boolean(),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.1, max: 30, noNaN: true }),
        fc.array(edgy, { minLength: 1, maxLength: 40 }),
        (sizes, hidden: HiddenActivation, output: OutputActivation, bias, n, seed, scale, values) => {
          if (output === "softmax" && sizes[sizes.length - 1]! < 2) sizes = [...sizes.slice(0, -1), 2];
          const net = createMlp({ sizes, hidden, output, bias }, { seed });
          // weights large enough to saturate, with edge values in place of some
          for (let i = 0; i < net.params.length; i++) net.params[i] = i % 7 === 3 ? values[i % values.length]! : net.params[i]! * scale;
          const x = new Float64Array(n * sizes[0]!);
          for (let i = 0; i < x.length; i++) x[i] = values[(i * 5 + 1) % values.length]! * (i % 2 ? 1 : scale);
          const fast = createWasmForward(net, n + (seed % 3))!;
          fast.load(net);
          const got = fast.forward(x, n);
          const want = forwardFast(createWorkspace(net, n), net, x, n);
          const diff = sameBits(got, want, n * sizes[sizes.length - 1]!);
          if (diff) throw new Error(`sizes [${sizes}] ${hidden}/${output} bias ${bias} n ${n}: ${diff}`);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("follow the weights loaded last, and take a second network of the same sizes", () => {
    const a = createMlp({ sizes: [7, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 1 });
    const b = createMlp({ sizes: [7, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 2 });
    const x = Float64Array.from({ length: 7 * 10 }, (_, i) => Math.sin(i));
    const fast = createWasmForward(a, 10)!;
    fast.load(b);
    expect(sameBits(fast.forward(x, 10), forwardFast(createWorkspace(b, 10), b, x, 10), 10)).toBeNull();
    fast.load(a);
    expect(sameBits(fast.forward(x, 10), forwardFast(createWorkspace(a, 10), a, x, 10), 10)).toBeNull();
    // the same sizes with other activations: the kernels follow the network loaded
    const c = createMlp({ sizes: [7, 8, 8, 1], hidden: "relu", output: "sigmoid", bias: true }, { seed: 3 });
    fast.load(c);
    expect(sameBits(fast.forward(x, 10), forwardFast(createWorkspace(c, 10), c, x, 10), 10)).toBeNull();
    expect(sameBits(fast.forward(x, 10), forwardFast(createWorkspace(a, 10), a, x, 10), 10)).not.toBeNull();
  });

  it("name what is wrong: capacity, batch size, input length, another shape", () => {
    const net = createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "sigmoid", bias: true }, { seed: 1 });
    expect(() => createWasmForward(net, 0)).toThrow(/capacity must be an integer/);
    const fast = createWasmForward(net, 4)!;
    fast.load(net);
    const fail = (f: () => unknown) => backpropErrorOf(f).message;
    expect(fail(() => fast.forward(new Float64Array(10), 5))).toMatch(/5 rows exceeds the capacity of 4/);
    expect(fail(() => fast.forward(new Float64Array(10), 0))).toMatch(/n must be a positive integer/);
    expect(fail(() => fast.forward(new Float64Array(3), 2))).toMatch(/x has 3 values, a batch of 2 rows of 2 inputs needs 4/);
    expect(fail(() => fast.load(createMlp({ sizes: [2, 4, 1], hidden: "tanh", output: "sigmoid", bias: true }, { seed: 1 })))).toMatch(/made for sizes \[2,3,1\] with biases, the network has \[2,4,1\] with biases/);
    expect(fail(() => fast.load(createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "sigmoid", bias: false }, { seed: 1 })))).toMatch(/\[2,3,1\] with biases, the network has \[2,3,1\] without biases/);
  });
});
