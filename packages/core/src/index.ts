export {
  activate,
  activateFast,
  activationBackward,
  activationSlope,
  HIDDEN_ACTIVATIONS,
  LEAKY_SLOPE,
  OUTPUT_ACTIVATIONS,
  sigmoid,
  type Activation,
  type HiddenActivation,
  type OutputActivation,
} from "./activations.js";
export { createBatcher, createSeekableBatcher, type Batcher, type BatcherOptions, type SeekableBatcher } from "./batcher.js";
export { CLIP_NORM_EPSILON, clipByGlobalNorm } from "./clip.js";
export {
  createTrainingRun,
  documentSeeds,
  type RollbackEvent,
  type RunEvaluation,
  type RunObserver,
  type RunStepReport,
  type TrainingRun,
  type TrainingRunOptions,
} from "./run.js";
export {
  classificationDataset,
  encodeTargets,
  predictedClass,
  regressionDataset,
  selectRows,
  type Batch,
  type Dataset,
  type TargetEncoding,
} from "./data.js";
export {
  applyFeatures,
  DATASET_NAMES,
  datasetInfo,
  datasetToCSV,
  datasetToJSON,
  DEFAULT_FEATURES,
  FEATURE_ASCII_LABELS,
  FEATURE_LABELS,
  FEATURE_NAMES,
  featurizeInto,
  isDatasetName,
  isFeatureName,
  makeDataset,
  parseDatasetCSV,
  parseDatasetJSON,
  MAX_CLASSES,
  MAX_DATASET_POINTS,
  splitDataset,
  validateFeatures,
  type DatasetDomain,
  type DatasetInfo,
  type DatasetName,
  type DatasetToCSVOptions,
  type FeatureName,
  type MakeDatasetOptions,
  type ParsedDataset,
  type ParseDatasetOptions,
  type SplitDataset,
  type SplitOptions,
} from "./datasets/index.js";
export { BackpropError, type BackpropErrorCode } from "./errors.js";
export { evaluate, predict, type EvaluateOptions, type Evaluation } from "./evaluate.js";
export { explainStep, type ExplainedLayer, type ExplainSettings, type Explanation, type Matrix } from "./explain.js";
export { fastExp, fastSigmoid, fastSigmoidInto, fastTanh, fastTanhInto } from "./fast-math.js";
export { cos, log, log1p, powInt, powPositive, sin, softplus } from "./libm.js";
export { fastExpInPlace } from "./fast-math.js";
export { forwardFast } from "./inference.js";
export { createWasmForward, wasmKernelsAvailable, type WasmForward } from "./wasm-forward.js";
export { KERNEL_CHOICES, wasmTrainingAvailable, type KernelChoice } from "./wasm-train.js";
export { gradientCheck, type GradientCheckOptions, type GradientCheckResult, type ParameterCheck } from "./gradient-check.js";
export { denseBackward, denseForward } from "./kernels.js";
export { checkLoss, LOSS_NAMES, lossGradient, lossValue, type LossName } from "./loss.js";
export {
  cloneMlp,
  createGradients,
  createMlp,
  INIT_SCHEMES,
  initializeParams,
  mlpFromParams,
  parameterCount,
  parameterLayout,
  type CreateMlpOptions,
  type Gradients,
  type InitScheme,
  type Layer,
  type Mlp,
} from "./mlp.js";
export { MODEL_FORMAT, MODEL_VERSION, mlpFromJSON, mlpToJSON, type ModelJSON } from "./model-json.js";
export { modelMismatch, type ModelMismatch } from "./model-match.js";
export {
  createOptimizerState,
  normalizeOptimizer,
  OPTIMIZER_NAMES,
  optimizerStep,
  type OptimizerConfig,
  type OptimizerName,
  type OptimizerState,
} from "./optimizers.js";
export { PRESETS, presetConfig, type Localized, type Preset } from "./presets.js";
export {
  addRegularizationGradient,
  normalizeRegularization,
  regularizationLoss,
  type Regularization,
} from "./regularization.js";
export { createNumpyRng, createRng, deriveSeed, shuffleInPlace, type Rng } from "./rng.js";
export {
  createRun,
  defaultRunConfig,
  normalizeRunConfig,
  runSeeds,
  type DataConfig,
  type NetworkConfig,
  type Run,
  type RunConfig,
  type RunConfigInput,
  type TrainingConfig,
} from "./run-config.js";
export { RUN_LIMITS } from "./limits.js";
export {
  defaultRunDocument,
  editDistance,
  nearestName,
  normalizeRunDocument,
  parseRunDocument,
  rangeText,
  RUN_DOCUMENT_FIELDS,
  type GeneratedData,
  type InlineData,
  type RunClipping,
  type RunData,
  type RunDocument,
  type RunDocumentInput,
  type RunEvaluationSettings,
  type RunField,
  type RunFieldPath,
  type RunGuard,
  type RunInit,
  type RunNetwork,
  type RunOptimizer,
  type RunRegularization,
  type RunSchedule,
  type RunTraining,
} from "./run-document.js";
export { epochKey, fillUniforms, fmix32, fnv1a32, runStreamSeeds, SEED_STREAMS, streamSeed, type SeedStream } from "./seeds.js";
export { learningRateAt, normalizeSchedule, SCHEDULE_NAMES, type Schedule, type ScheduleName } from "./schedules.js";
export { layerActivation, normalizeSpec, SPEC_LIMITS, type MlpSpec } from "./spec.js";
export {
  createTrainer,
  l2Norm,
  locateParameter,
  type NonFiniteParameter,
  type GradientHook,
  type HookContext,
  type ResolvedTrainerOptions,
  type StepReport,
  type Trainer,
  type TrainerOptions,
} from "./trainer.js";
export { backward, createWorkspace, forward, type Workspace } from "./workspace.js";
