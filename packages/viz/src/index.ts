export {
  CLASS_COLORS,
  CLASS_RAMPS,
  createRamp,
  parseColor,
  PLAYGROUND_COLORS,
  PLAYGROUND_RAMP,
  POINT_COLORS,
  PROBABILITY_RAMP,
  rampColor,
  rampIndex,
  type ColorRamp,
  type RampOptions,
  type RGB,
} from "./color.js";
export { boundaryLevel, contourLines, decisionBoundary, type Polyline } from "./contour.js";
export {
  cellCenterX,
  cellCenterY,
  checkDomain,
  domainForDataset,
  PLAYGROUND_DOMAIN,
  type Domain,
  type DomainOptions,
} from "./domain.js";
export { downsampleLTTB, downsampleLTTBInto, type Curve } from "./downsample.js";
export {
  createGridSampler,
  DEFAULT_CHUNK,
  MAX_CACHED_INPUTS,
  gridSize,
  MAX_RESOLUTION,
  outputThreshold,
  sampleGrid,
  type GridSample,
  type GridSampler,
  type GridSamplerOptions,
  type Resolution,
} from "./grid.js";
export { createMetricSeries, type MetricSeries, type MetricSeriesOptions } from "./metric-series.js";
export {
  createNeuronMapSampler,
  sampleNeuronMaps,
  type NeuronMap,
  type NeuronMapOptions,
  type NeuronMapSampler,
} from "./neuron-maps.js";
export { isGridSample, toRGBA, type ColorOptions, type RGBAOptions } from "./rgba.js";
export {
  HALF_BLOCK,
  POINT_CHARS,
  REGION_CHARS,
  toTerminalCells,
  type ColorMode,
  type TerminalCell,
  type TerminalColor,
  type TerminalOptions,
  type TerminalPoint,
} from "./terminal.js";
export { rgbTo256, xterm256ToRgb } from "./xterm.js";
