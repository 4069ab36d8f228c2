export { expectClose, readReference, sharedDir } from "@backprop-lab/test-utils";
