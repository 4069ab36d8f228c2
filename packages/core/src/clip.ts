/** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
export const CLIP_NORM_EPSILON = 1e-6;

/**
 * Global-norm clipping in place: with ‖g‖ in box[0], g ← g·c where
 * c = maxNorm/(‖g‖ + 1e-6), applied only when c < 1 and ‖g‖ is finite
 * (a non-finite step is the guard's business). Writes the norm after into
 * box[1]; returns whether it scaled. Scalars travel in `box` so the training
 * step boxes no double.
 */
export function clipByGlobalNorm(g: Float64Array, maxNorm: number, box: Float64Array): boolean {
  const norm = box[0]!;
  const coef = maxNorm / (norm + CLIP_NORM_EPSILON);
  if (Number.isFinite(norm) && coef < 1) {
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
    box[1] = norm * coef;
    return true;
  }
  box[1] = norm;
  return false;
}
