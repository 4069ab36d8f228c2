import {
  assertHiddenActivation,
  assertOutputActivation,
  type Activation,
  type HiddenActivation,
  type OutputActivation,
} from "./activations.js";
import { BackpropError, describe } from "./errors.js";
import { RUN_LIMITS } from "./limits.js";

/**
 * A network's shape. `sizes` lists the widths from input to output, e.g.
 * [2, 3, 2] for the course's network. `hidden` is one activation for every
 * hidden layer or one per hidden layer.
 */
export interface MlpSpec {
  sizes: number[];
  hidden: HiddenActivation | HiddenActivation[];
  output: OutputActivation;
  bias: boolean;
}

/** A spec's bounds, from the one set of limits (RUN_LIMITS): its hidden layers plus the output layer, and the widest layer. */
export const SPEC_LIMITS = { maxLayers: RUN_LIMITS.maxHiddenLayers + 1, maxWidth: RUN_LIMITS.maxWidth } as const;

/** Checks a spec and returns a clean copy; throws naming the field at fault. */
export function normalizeSpec(spec: unknown, field = "spec"): MlpSpec {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new BackpropError("invalid-spec", `${field} must be an object, got ${describe(spec)}`, { field });
  }
  const s = spec as Record<string, unknown>;
  const sizes = s.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > SPEC_LIMITS.maxLayers + 1) {
    throw new BackpropError(
      "invalid-spec",
      `${field}.sizes must be an array of 2 to ${SPEC_LIMITS.maxLayers + 1} layer widths, got ${describe(sizes)}`,
      { field: `${field}.sizes` },
    );
  }
  sizes.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isInteger(w) || w < 1 || w > SPEC_LIMITS.maxWidth) {
      throw new BackpropError("invalid-spec", `${field}.sizes[${i}] must be an integer in [1, ${SPEC_LIMITS.maxWidth}], got ${describe(w)}`, {
        field: `${field}.sizes[${i}]`,
      });
    }
  });
  const hiddenLayers = sizes.length - 2;
  let hidden: HiddenActivation | HiddenActivation[];
  if (Array.isArray(s.hidden)) {
    if (s.hidden.length !== hiddenLayers) {
      throw new BackpropError("invalid-spec", `${field}.hidden lists ${s.hidden.length} activations for ${hiddenLayers} hidden layers`, {
        field: `${field}.hidden`,
      });
    }
    s.hidden.forEach((h, i) => assertHiddenActivation(h, `${field}.hidden[${i}]`));
    hidden = [...(s.hidden as HiddenActivation[])];
  } else {
    const h = s.hidden ?? "sigmoid";
    assertHiddenActivation(h, `${field}.hidden`);
    hidden = h;
  }
  const output = s.output ?? "sigmoid";
  assertOutputActivation(output, `${field}.output`);
  const bias = s.bias ?? true;
  if (typeof bias !== "boolean") {
    throw new BackpropError("invalid-spec", `${field}.bias must be true or false, got ${describe(bias)}`, { field: `${field}.bias` });
  }
  if (output === "softmax" && sizes[sizes.length - 1] < 2) {
    throw new BackpropError("invalid-spec", `${field}.output "softmax" needs at least 2 output units`, { field: `${field}.output` });
  }
  return { sizes: [...(sizes as number[])], hidden, output, bias };
}

/** The activation of layer l (0-based over weight layers). */
export function layerActivation(spec: MlpSpec, l: number): Activation {
  const last = spec.sizes.length - 2;
  if (l === last) return spec.output;
  return Array.isArray(spec.hidden) ? spec.hidden[l]! : spec.hidden;
}
