/**
 * Relative error of a peer's numbers against ours. Any NaN or ±Infinity on
 * either side gives Infinity: a comparison of broken numbers is never "close".
 */

/** max_i |peer_i − ours_i| / |ours_i|, for values of like size (losses). */
export function maxRelativeError(ours: ArrayLike<number>, peer: ArrayLike<number>): number {
  checkLengths(ours, peer);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const p = peer[i]!;
    if (!Number.isFinite(o) || !Number.isFinite(p)) return Infinity;
    const d = Math.abs(p - o);
    const rel = o === 0 ? d : d / Math.abs(o);
    if (rel > worst) worst = rel;
  }
  return worst;
}

/** max_i |peer_i − ours_i| / max_i |ours_i|, for vectors with values near 0 (weights, outputs). */
export function normwiseRelativeError(ours: ArrayLike<number>, peer: ArrayLike<number>): number {
  checkLengths(ours, peer);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const p = peer[i]!;
    if (!Number.isFinite(o) || !Number.isFinite(p)) return Infinity;
    diff = Math.max(diff, Math.abs(p - o));
    scale = Math.max(scale, Math.abs(o));
  }
  return scale === 0 ? diff : diff / scale;
}

function checkLengths(ours: ArrayLike<number>, peer: ArrayLike<number>): void {
  if (ours.length !== peer.length || ours.length === 0) {
    throw new Error(`cannot compare ${ours.length} values of ours with ${peer.length} of a peer`);
  }
}

/** Rounds every value to the nearest float32, so float32 and float64 peers start from the same numbers. */
export function toFloat32Exact(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(values[i]!);
  return out;
}
