/**
 * The one set of size limits every face shares: a run document, a network
 * spec (createMlp, model JSON) and a generated data set are all checked
 * against these. The API may lower them further for its work budget, never
 * raise them.
 */
export const RUN_LIMITS = {
  /** Hidden layers of a network. */
  maxHiddenLayers: 16,
  /** Units in one layer (inputs and outputs included). */
  maxWidth: 256,
  /** Rows of a data set, generated or given inline. */
  maxSamples: 100_000,
  /** Largest seed: seeds are 32-bit unsigned integers. */
  maxSeed: 0xffffffff,
  /** Largest step count a schedule or evaluation cadence may name. */
  maxSteps: 1_000_000_000,
} as const;
