import { CLIP_NORM_EPSILON } from "./clip.js";
import { MAX_GUARD_EVENTS } from "./guard.js";
import * as thresholds from "./thresholds.js";

/**
 * Every tuning constant of thresholds.ts, clipping and the guard in one frozen
 * object, the package's one public name for them
 * (`DEFAULT_THRESHOLDS.LOSS_SPIKE_RATIO`, …): read them to understand a
 * finding or to size work, e.g. the gradient check's rows and parameter
 * limit. The README's table gives the reason for each value.
 */
export const DEFAULT_THRESHOLDS = Object.freeze({ ...thresholds, CLIP_NORM_EPSILON, MAX_GUARD_EVENTS });
