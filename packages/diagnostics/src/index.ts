export { attachDiagnostics, type AttachOptions, type ClipOption, type Diagnostics } from "./attach.js";
export { clipByNorm, clipByNormHook, clipByValue, clipByValueHook, type ClipHook, type ClipStats } from "./clip.js";
export { createDetectors, type DetectorOptions, type Detectors, type GradientCheckRecord } from "./detectors.js";
export {
  FINDING_CODES,
  FINDING_NUMBERS,
  FINDING_SEVERITY,
  findingMessage,
  fmt,
  type Finding,
  type FindingCode,
  type Localized,
  type Severity,
} from "./findings.js";
export { applyFix, type Fix, type FixId, type RunDocumentPatch } from "./fixes.js";
export {
  createDivergenceGuard,
  type DivergenceGuard,
  type DivergenceGuardOptions,
  type GuardEvent,
} from "./guard.js";
export { createHealthMonitor, type HealthMonitor, type HealthMonitorOptions, type LayerHealth } from "./health.js";
export { FAILURE_LABS, labDocument, type FailureLab } from "./labs.js";
export { findNonFinite, type FindNonFiniteInput, type NonFinite } from "./non-finite.js";
export { DEFAULT_THRESHOLDS } from "./default-thresholds.js";
