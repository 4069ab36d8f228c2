import type { RGB } from "./color.js";

// xterm's 256 colours: 16 system colours, a 6×6×6 cube (16 + 36r + 6g + b)
// with channel levels below, and 24 greys 8, 18, …, 238 (232…255).
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

// xterm's default system colours 0-15
const SYSTEM: readonly RGB[] = [
  [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
  [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
];

function nearestLevel(v: number): number {
  let best = 0;
  for (let i = 1; i < 6; i++) if (Math.abs(CUBE_LEVELS[i]! - v) < Math.abs(CUBE_LEVELS[best]! - v)) best = i;
  return best;
}

/**
 * The xterm colour index (16…255) nearest to an sRGB colour in RGB
 * distance. The cube is separable, so its nearest entry takes the nearest
 * level per channel; the nearest grey is compared with it (the cube wins ties).
 * The 16 system colours are skipped: terminals redefine them.
 *
 * @example rgbTo256(255, 0, 0) // 196
 */
export function rgbTo256(r: number, g: number, b: number): number {
  const qr = nearestLevel(r);
  const qg = nearestLevel(g);
  const qb = nearestLevel(b);
  const cr = CUBE_LEVELS[qr]!;
  const cg = CUBE_LEVELS[qg]!;
  const cb = CUBE_LEVELS[qb]!;
  const cubeDist = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
  const gi = Math.min(23, Math.max(0, Math.round(((r + g + b) / 3 - 8) / 10)));
  const grey = 8 + 10 * gi;
  const greyDist = (r - grey) ** 2 + (g - grey) ** 2 + (b - grey) ** 2;
  return greyDist < cubeDist ? 232 + gi : 16 + 36 * qr + 6 * qg + qb;
}

/** The sRGB bytes xterm shows for colour `index` (0…255; 0-15 are xterm's defaults). */
export function xterm256ToRgb(index: number): RGB {
  if (index < 16) return SYSTEM[index]!;
  if (index >= 232) {
    const v = 8 + 10 * (index - 232);
    return [v, v, v];
  }
  const i = index - 16;
  return [CUBE_LEVELS[Math.floor(i / 36)]!, CUBE_LEVELS[Math.floor(i / 6) % 6]!, CUBE_LEVELS[i % 6]!];
}
