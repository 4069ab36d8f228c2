import { drawWires, type WireGeometry } from "../draw/wires.js";

/** Messages to the links worker: the canvas once, then its geometry and the weights as they change. */
export type ToWiresWorker = { type: "canvas"; canvas: OffscreenCanvas } | { type: "geometry"; geometry: WireGeometry } | { type: "weights"; params: Float64Array };

/*
 * Draws the network's links on an OffscreenCanvas the page handed over, so
 * hundreds of thick antialiased curves are rasterized off the page's thread
 * (and off the training worker). Messages that arrive while one drawing is
 * pending are folded into it: only the newest weights are drawn.
 */
const scope = self as unknown as { onmessage: ((event: MessageEvent<ToWiresWorker>) => void) | null };
let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let geometry: WireGeometry | null = null;
let params: Float64Array | null = null;
let pending = false;

function draw(): void {
  pending = false;
  if (canvas && ctx && geometry && params) drawWires(canvas, ctx, geometry, params);
}

scope.onmessage = (event) => {
  const m = event.data;
  if (m.type === "canvas") {
    canvas = m.canvas;
    ctx = canvas.getContext("2d");
  } else if (m.type === "geometry") geometry = m.geometry;
  else params = m.params;
  if (!pending) {
    pending = true;
    setTimeout(draw, 0);
  }
};
