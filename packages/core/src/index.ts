// The public surface of @backprop-lab/core: every name here is documented in README.md's "API" section
// (test/exports.test.ts holds the two lists equal). Scratch-buffer variants and the helpers sibling
// packages build on are in ./internal.ts (`@backprop-lab/core/internal`, unstable).
export {
  activate,
  HIDDEN_ACTIVATIONS,
  LEAKY_SLOPE,
  OUTPUT_ACTIVATIONS,
  sigmoid,
  type Activation,
  type HiddenActivation,
  type OutputActivation,
} from "./activations.js";
export { createBatcher, type Batcher, type BatcherOptions, type SeekableBatcher } from "./batcher.js";
export { CLIP_NORM_EPSILON } from "./clip.js";
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
export { classificationDataset, predictedClass, regressionDataset, type Batch, type Dataset, type TargetEncoding } from "./data.js";
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
  isDatasetName,
  isFeatureName,
  makeDataset,
  parseDatasetCSV,
  parseDatasetJSON,
  MAX_CLASSES,
  MAX_DATASET_POINTS,
  splitDataset,
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
export { KERNEL_CHOICES, wasmTrainingAvailable, type KernelChoice } from "./wasm-train.js";
export { gradientCheck, type GradientCheckOptions, type GradientCheckResult, type ParameterCheck } from "./gradient-check.js";
export { LOSS_NAMES, type LossName } from "./loss.js";
export {
  cloneMlp,
  createMlp,
  INIT_SCHEMES,
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
export { normalizeOptimizer, OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName } from "./optimizers.js";
export { PRESETS, presetDocument, type Preset } from "./presets.js";
export { normalizeRegularization, regularizationLoss, type Regularization } from "./regularization.js";
export { createRng, type Rng } from "./rng.js";
export { RUN_LIMITS } from "./limits.js";
export {
  defaultRunDocument,
  nearestName,
  normalizeRunDocument,
  parseRunDocument,
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
export { runStreamSeeds, SEED_STREAMS, type SeedStream } from "./seeds.js";
export { learningRateAt, normalizeSchedule, SCHEDULE_NAMES, type Schedule, type ScheduleName } from "./schedules.js";
export { layerActivation, SPEC_LIMITS, type MlpSpec } from "./spec.js";
export {
  createTrainer,
  type NonFiniteParameter,
  type GradientHook,
  type HookContext,
  type ResolvedTrainerOptions,
  type StepReport,
  type Trainer,
  type TrainerOptions,
} from "./trainer.js";
