// The app's reusable modules by name (the page itself starts in main.tsx).
export {
  changeKind,
  defaultAppState,
  EDITOR_LIMITS,
  fitHeadToData,
  LEARNING_RATES,
  REGULARIZATION_RATES,
  withDataset,
  withFeature,
  withLayerCount,
  withLayerWidth,
  type AppState,
  type ClipSetting,
  type Locale,
  type Panel,
  type PastSettings,
  type ViewOptions,
  type WeightEdit,
} from "./state/app-state.js";
export { canonicalHide, HIDEABLE, HIDEABLE_GROUPS, visiblePanels, type Hideable } from "./state/app-state.js";
export { eachPolyline, frameBoundary } from "./worker/boundary.js";
export { inlineConfig, pointsDataset } from "./state/points.js";
export { reducer, type Action } from "./state/reducer.js";
export { decodeState, encodeState, type DecodeResult } from "./state/url.js";
export { courseExample, createWorkerHandler, type Post, type WorkerHandler } from "./worker/handler.js";
export {
  HEATMAP_SIZE,
  THUMBNAIL_SIZE,
  type FindingView,
  type Frame,
  type FromWorker,
  type MetricRow,
  type PointSet,
  type RunInfo,
  type RunState,
  type ToWorker,
} from "./worker/protocol.js";
export { formatNumber, formatPercent, translator, type MessageKey, type Translate } from "./i18n.js";
