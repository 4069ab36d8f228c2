export { main } from "./cli.js";
export { createDriver, type Driver, type DriverOptions } from "./driver.js";
export { fieldToPath, jsonSyntaxLocation, lineColumn, locateField, readConfigFile, readDatasetFile, readModelFile, UsageError, writeModelFile } from "./files.js";
export {
  DEFAULT_HEADLESS_STEPS,
  documentToFlags,
  FIELD_FLAGS,
  flagForField,
  parseCli,
  type CliContext,
  type CliOptions,
  type CliResult,
  type ColorChoice,
  type OutputMode,
} from "./flags.js";
export { formatCell, formatNumber, formatPercent, progressBar } from "./format.js";
export {
  findingRecord,
  reportRecord,
  runHeadless,
  type FindingRecord,
  type HeadlessOptions,
  type ReportRecord,
  type SummaryRecord,
} from "./headless.js";
export { detectLang, LANGS, MESSAGES, otherLang, type Lang, type Messages } from "./i18n.js";
export { allPresets, DEFAULT_PRESET, findPreset, type MenuPreset, type PresetGroup } from "./presets.js";
export { createBoundaryRenderer, type BoundaryRenderer } from "./render/boundary.js";
export { cellsToLines } from "./render/cells.js";
export { chartLines, resample, type ChartLine, type ChartOptions } from "./render/chart.js";
export { resolveColorMode } from "./render/color-mode.js";
export { explainLines, matrixLines, sub, type ExplainLine } from "./render/explain.js";
export { computeLayout, type Layout, type Size } from "./render/layout.js";
export {
  createSession,
  DECAY_SCHEDULE,
  DEFAULT_CLIP_NORM,
  GRADIENT_CHECK_ROWS,
  LEARNING_RATE_LADDER,
  nextLearningRate,
  patchDocument,
  type Session,
  type SessionDiagnostics,
  type SessionHistory,
  type SessionInit,
} from "./session.js";
export { App, type AppProps } from "./ui/app.js";
