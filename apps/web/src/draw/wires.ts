import { PLAYGROUND_RAMP, rampIndex } from "@backprop-lab/viz";

/** The Playground's link width: 1 px at w = 0 to 10 px at |w| ≥ 5, in quarter pixels. */
export const strokeWidth = (w: number): number => Math.round(4 * Math.min(10, 1 + (Math.abs(w) / 5) * 9)) / 4;

/** CSS colour of each shade of viz's Playground ramp, made once. */
const SHADES: readonly string[] = Array.from({ length: PLAYGROUND_RAMP.shades }, (_, k) => {
  const t = PLAYGROUND_RAMP.table;
  return `rgb(${t[3 * k]}, ${t[3 * k + 1]}, ${t[3 * k + 2]})`;
});

/** A weight's colour: its sign and size squashed onto the ramp's [−1, 1]; red when it is not finite. */
export const shadeOf = (w: number): string => (Number.isFinite(w) ? SHADES[rampIndex(PLAYGROUND_RAMP, Math.tanh(w))]! : "#d00");

/**
 * The network's links as plain data (so a worker can draw them): the
 * rectangle of the diagram they are drawn over (x, y, width, height in CSS
 * pixels of the diagram) and its device pixel ratio; the colour under them;
 * per link, its curve as five numbers (x1, y1, midX, x2, y2: from the right
 * edge of one unit to the left edge of the next, in the diagram's pixels)
 * and the index of its weight in the parameter buffer.
 */
export interface WireGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
  ratio: number;
  /** A CSS colour: the drawing is opaque, so the compositor copies it instead of blending it over the page. */
  background: string;
  curves: Float64Array;
  weightIndex: Int32Array;
}

/** A 2D context of a page canvas or of an OffscreenCanvas in a worker. */
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Device pixels of the drawing: the geometry's size times its ratio, rounded. */
export function wiresSize(g: WireGeometry): { width: number; height: number } {
  return { width: Math.max(1, Math.round(g.width * g.ratio)), height: Math.max(1, Math.round(g.height * g.ratio)) };
}

/** Sizes the canvas for the geometry (device pixels), fills its background and draws every link with the width and colour of its weight. */
export function drawWires(canvas: { width: number; height: number }, ctx: Context2D, g: WireGeometry, params: Float64Array): void {
  const { width: w, height: h } = wiresSize(g);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = g.background;
  ctx.fillRect(0, 0, w, h);
  ctx.setTransform(g.ratio, 0, 0, g.ratio, -g.x * g.ratio, -g.y * g.ratio);
  const c = g.curves;
  for (let k = 0; k < g.weightIndex.length; k++) {
    const weight = params[g.weightIndex[k]!]!;
    ctx.lineWidth = Number.isFinite(weight) ? strokeWidth(weight) : 1;
    ctx.strokeStyle = shadeOf(weight);
    const o = 5 * k;
    ctx.beginPath();
    ctx.moveTo(c[o]!, c[o + 1]!);
    ctx.bezierCurveTo(c[o + 2]!, c[o + 1]!, c[o + 2]!, c[o + 4]!, c[o + 3]!, c[o + 4]!);
    ctx.stroke();
  }
}
