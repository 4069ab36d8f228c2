/**
 * Every threshold the monitor, the guard and the detectors use, in one place
 * (the README's table lists them with the reason for each value).
 */

/** A sigmoid unit is saturated when a < m or a > 1 − m; a tanh unit when |a| > 1 − 2m. There f′ < 4 % of its peak. */
export const SATURATION_MARGIN = 0.01;
/** Consecutive batches a relu must output 0 on every row before it counts as persistently dead. */
export const DEAD_PATIENCE = 50;

/** The guard multiplies the learning rate by this on each rollback (the course's "lower the learning rate"). */
export const GUARD_FACTOR = 0.3;
/** The guard vetoes a step whose gradient norm is this many times the smoothed norm at the best loss. */
export const GUARD_GRAD_JUMP = 100;
/** Finite steps the guard sees before it applies the gradient-jump test (the first one sets the scale). */
export const GUARD_WARMUP = 1;

/** loss-spike: the smoothed loss is this many times its running minimum (the reference's "10 % above the running minimum"). */
export const LOSS_SPIKE_RATIO = 1.1;
/** exploding-gradients: the smoothed gradient norm has grown this many times since the step of the best loss... */
export const GRAD_GROWTH_RATIO = 10;
/** ...while the loss has risen at least this fraction above that best (1 % fired on a converged run bumping 0.0558 → 0.0564). */
export const GRAD_GROWTH_LOSS_RISE = 0.1;
/**
 * A rise of the loss counts only when it is also this fraction of the
 * starting loss: near convergence a loss of 1e-4 bumping to 1.2e-4 is noise,
 * not a trend (loss-spike, exploding-gradients, learning-rate-too-high).
 */
export const LOSS_RISE_FLOOR = 0.01;
/**
 * A raw loss this many times its first value: dead-units after such a step adds the explosion's fix to leaky relu, and
 * exploding-gradients fires on it too (an explosion inside the first epoch)...
 */
export const EXPLODE_LOSS_FACTOR = 10;
/** ...on this many steps in a row (one step for full-batch descent). */
export const EXPLODE_PATIENCE = 2;
/**
 * Full-batch loss-spike, exploding-gradients (by gradient growth) and
 * learning-rate-too-high must hold this many steps in a row (mini-batches: an
 * epoch); a bounce of a few steps is not a finding. firstStep is where it began.
 */
export const RISE_PATIENCE = 20;
/**
 * A loss below this fraction of its start has converged: bouncing there is
 * rounding, not a learning rate too high. Oscillation also needs the loss to
 * swing by more than LOSS_RISE_FLOOR of its start within the window.
 */
export const CONVERGED_FRACTION = 0.01;
/**
 * Stuck (vanishing-gradients, saturated-units): the smoothed loss improved by
 * less than STUCK_IMPROVEMENT over STUCK_WINDOW steps (at least 5 epochs)...
 */
export const STUCK_IMPROVEMENT = 0.01;
export const STUCK_WINDOW = 200;
/**
 * ...and is no better than this fraction of the loss of the best constant
 * prediction (the base rates: 0.25 on balanced XOR under mse): the network
 * has learned nothing else. regularization-too-strong uses this test alone.
 */
export const STUCK_BASELINE_FRACTION = 0.95;
/** A finding not seen for this many steps (at least 10 epochs) has gone stale and leaves findings(). */
export const STALE_STEPS = 200;
/** Mini-batch noise allowance: a rise counts only beyond this many standard deviations of the smoothed loss. */
export const NOISE_SIGMAS = 3;

/** learning-rate-too-high (rising): the smoothed loss rose by this fraction over RISE_WINDOW steps (epochs for mini-batches). */
export const RISE_RATIO = 0.05;
export const RISE_WINDOW = 10;
/** learning-rate-too-high (oscillating, full batch): the loss went up on this fraction of the last OSCILLATION_WINDOW steps (and made no progress over STUCK_WINDOW)... */
export const OSCILLATION_UP_FRACTION = 0.3;
export const OSCILLATION_WINDOW = 20;
/** ...and fell by less than this fraction over STUCK_WINDOW steps (0: no progress at all; 1 % over 20 steps fired on slow, bouncy but falling runs). */
export const OSCILLATION_PROGRESS = 0;

/** Plateau: the smoothed loss improved by less than this fraction over PLATEAU_WINDOW steps (at least 10 epochs)... */
export const PLATEAU_IMPROVEMENT = 1e-3;
export const PLATEAU_WINDOW = 200;
/** ...while it is still above this fraction of the starting loss (nothing much learned yet). */
export const PLATEAU_LOSS_FRACTION = 0.5;
/** learning-rate-too-low: on a plateau, every layer's update-to-weight ratio is below this (≈1e-3 is healthy). */
export const LOW_UPDATE_RATIO = 1e-4;

/** vanishing-gradients: the first layer's gradient RMS is below this fraction of the last layer's... */
export const VANISHING_RATIO = 1e-3;
/** ...for this many steps more than not (a step above the ratio takes one off the count). */
export const VANISHING_PATIENCE = 20;
/** saturated-units: at least this fraction of a sigmoid/tanh layer's activations saturated (the output layer too under mse), with the loss above PLATEAU_LOSS_FRACTION of its start... */
export const SATURATED_FRACTION = 0.9;
/** ...for this many consecutive steps. */
export const SATURATION_PATIENCE = 20;
/** dead-units: at least this fraction of a hidden relu layer persistently dead (DEAD_PATIENCE batches). */
export const DEAD_FRACTION = 0.5;
/** regularization-too-strong: the weights' RMS fell below this fraction of its starting value under a penalty. */
export const WEIGHT_COLLAPSE_RATIO = 0.1;

/** gradient-check-failed: when the loss spikes, a central-difference check runs on up to this many rows... */
export const GRADIENT_CHECK_ROWS = 32;
/** ...for networks with at most this many parameters... */
export const GRADIENT_CHECK_MAX_PARAMS = 5000;
/** ...and fails above this relative error (a correct backward pass stays near 1e-7 or below). */
export const GRADIENT_CHECK_TOLERANCE = 1e-4;
/**
 * Fix factors: learning rate × 0.3 (and ÷ 0.3 when too low), penalty × 0.1,
 * batch × 4; after an explosion (non-finite, exploding-gradients) the rate
 * × 0.01: as the first fix on the corpus's 23 exploding runs × 0.3 cures 3,
 * × 0.1 10, × 0.03 15, × 0.01 18, × 0.001 15 (on the previous draw, under
 * createRun, 0, 9, 15 and 21 of 25; clipping at 1× or 3× the first gradient
 * norm added none there).
 */
export const FIX_EXPLOSION_FACTOR = 0.01;
/**
 * After an explosion under momentum above this, the momentum comes down to it
 * as well: μ = 0.9 makes each step about 10× the gradient step, 0.5 about 2×.
 * On the corpus it cures two runs the rate × 0.01 alone does not (high-lr-8,
 * exploding, and high-lr-27's dead units, both at momentum 0.9) and costs none.
 */
export const FIX_EXPLOSION_MOMENTUM = 0.5;
export const FIX_LEARNING_RATE_FACTOR = 0.3;
export const FIX_LAMBDA_FACTOR = 0.1;
export const FIX_BATCH_FACTOR = 4;

