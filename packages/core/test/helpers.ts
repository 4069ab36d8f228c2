export { expectClose, readReference, sharedDir, typedArraysMade } from "@backprop-lab/test-utils";
