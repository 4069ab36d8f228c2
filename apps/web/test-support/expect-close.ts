export { expectClose } from "@backprop-lab/test-utils";
export { readReference } from "@backprop-lab/test-utils/reference";
