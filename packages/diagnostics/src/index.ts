export { attachDiagnostics, type AttachOptions, type ClipOption, type Diagnostics } from "./attach.js";
export { CLIP_NORM_EPSILON, clipByNorm, clipByNormHook, clipByValue, clipByValueHook, type ClipHook, type ClipStats } from "./clip.js";
export { createDetectors, type DetectorOptions, type Detectors, type GradientCheckRecord } from "./detectors.js";
export {
  FINDING_CODES,
  FINDING_NUMBERS,
  FINDING_SEVERITY,
  findingMessage,
  fmt,
  type Finding,
  type FindingCode,
  type Severity,
} from "./findings.js";
export { applyFix, type Fix, type FixId, type RunConfigPatch } from "./fixes.js";
export {
  createDivergenceGuard,
  MAX_GUARD_EVENTS,
  type DivergenceGuard,
  type DivergenceGuardOptions,
  type GuardEvent,
} from "./guard.js";
export { createHealthMonitor, type HealthMonitor, type HealthMonitorOptions, type LayerHealth } from "./health.js";
export { FAILURE_LABS, labConfig, type FailureLab } from "./labs.js";
export { findNonFinite, type FindNonFiniteInput, type NonFinite } from "./non-finite.js";
export {
  DEAD_FRACTION,
  DEAD_PATIENCE,
  FIX_BATCH_FACTOR,
  FIX_LAMBDA_FACTOR,
  FIX_LEARNING_RATE_FACTOR,
  GRAD_GROWTH_LOSS_RISE,
  GRAD_GROWTH_RATIO,
  GRADIENT_CHECK_MAX_PARAMS,
  GRADIENT_CHECK_ROWS,
  GRADIENT_CHECK_TOLERANCE,
  GUARD_FACTOR,
  GUARD_GRAD_JUMP,
  GUARD_WARMUP,
  LOSS_SPIKE_RATIO,
  LOW_UPDATE_RATIO,
  NOISE_SIGMAS,
  OSCILLATION_PROGRESS,
  OSCILLATION_UP_FRACTION,
  OSCILLATION_WINDOW,
  PLATEAU_IMPROVEMENT,
  PLATEAU_LOSS_FRACTION,
  PLATEAU_WINDOW,
  RISE_RATIO,
  RISE_WINDOW,
  SATURATED_FRACTION,
  SATURATION_MARGIN,
  SATURATION_PATIENCE,
  VANISHING_PATIENCE,
  VANISHING_RATIO,
  WEIGHT_COLLAPSE_RATIO,
} from "./thresholds.js";
