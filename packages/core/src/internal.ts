// @backprop-lab/core/internal: UNSTABLE. The scratch-buffer variants, kernels and helpers that the sibling
// packages (viz, diagnostics, the apps, tooling) and core's own tests build on. Names and signatures here
// may change in any release without notice; a library user wants `@backprop-lab/core` (index.ts).
export { activateFast, activationBackward, activationSlope } from "./activations.js";
export { createSeekableBatcher } from "./batcher.js";
export { clipByGlobalNorm } from "./clip.js";
export { encodeTargets, selectRows } from "./data.js";
export { featurizeInto, validateFeatures } from "./datasets/index.js";
export { fastExp, fastExpInPlace, fastSigmoid, fastSigmoidInto, fastTanh, fastTanhInto } from "./fast-math.js";
export { forwardFast } from "./inference.js";
export { denseBackward, denseForward } from "./kernels.js";
export { cos, log, log1p, powInt, powPositive, sin, softplus } from "./libm.js";
export { checkLoss, lossGradient, lossValue } from "./loss.js";
export { createGradients, initializeParams } from "./mlp.js";
export { createOptimizerState, optimizerStep, type OptimizerState } from "./optimizers.js";
export { addRegularizationGradient } from "./regularization.js";
export { createNumpyRng, deriveSeed, shuffleInPlace } from "./rng.js";
export { editDistance, rangeText } from "./run-document.js";
export { epochKey, fillUniforms, fmix32, fnv1a32, streamSeed } from "./seeds.js";
export { normalizeSpec } from "./spec.js";
export { l2Norm, locateParameter } from "./trainer.js";
export { createWasmForward, wasmKernelsAvailable, type WasmForward } from "./wasm-forward.js";
export { countOutside } from "./wasm-train.js";
export { backward, createWorkspace, forward, type Workspace } from "./workspace.js";
