export {
  DATASET_NAMES,
  MAX_DATASET_POINTS,
  datasetInfo,
  isDatasetName,
  makeDataset,
  type DatasetDomain,
  type DatasetInfo,
  type DatasetName,
  type MakeDatasetOptions,
} from "./generators.js";
export { splitDataset, type SplitDataset, type SplitOptions } from "./split.js";
export {
  DEFAULT_FEATURES,
  FEATURE_ASCII_LABELS,
  FEATURE_LABELS,
  FEATURE_NAMES,
  applyFeatures,
  featurizeInto,
  isFeatureName,
  validateFeatures,
  type FeatureName,
} from "./features.js";
export { parseDatasetJSON } from "./parse.js";
export { parseDatasetCSV } from "./parse-csv.js";
export { datasetToCSV, datasetToJSON, type DatasetToCSVOptions } from "./export.js";
export { MAX_CLASSES, type ParseDatasetOptions, type ParsedDataset } from "./problems.js";
