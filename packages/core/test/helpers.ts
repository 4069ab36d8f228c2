import { expect } from "vitest";
import { BackpropError } from "../src/index.js";

export { expectClose, typedArraysMade } from "@backprop-lab/test-utils";
export { readReference } from "@backprop-lab/test-utils/reference";

/** The BackpropError `fn` throws (the test fails if it throws something else, or nothing). */
export function backpropErrorOf(fn: () => unknown): BackpropError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BackpropError);
    return error as BackpropError;
  }
  throw new Error("expected a BackpropError");
}
