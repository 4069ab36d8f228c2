import { drawWires, wiresSize, type WireGeometry } from "../draw/wires.js";

/** Messages to the links worker: the links' geometry (with an id), then the weights as they change. */
export type ToWiresWorker = { type: "geometry"; id: number; geometry: WireGeometry } | { type: "weights"; params: Float64Array };

/** The links worker's answer: the links drawn for geometry `id`, an opaque bitmap of its rectangle. */
export type FromWiresWorker = { type: "wires"; id: number; bitmap: ImageBitmap };

/*
 * Draws the network's links on its own OffscreenCanvas and hands the page
 * the picture as an ImageBitmap (transferred, not copied), so hundreds of
 * thick antialiased curves are rasterized off the page's thread (and off
 * the training and view workers); the page copies the bitmap under the
 * unit maps on each frame. Messages that arrive while one drawing is
 * pending are folded into it: only the newest weights are drawn.
 */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWiresWorker>) => void) | null;
  postMessage(message: FromWiresWorker, transfer: Transferable[]): void;
};
let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let geometry: { id: number; geometry: WireGeometry } | null = null;
let params: Float64Array | null = null;
let pending = false;

function draw(): void {
  pending = false;
  if (!geometry || !params) return;
  const g = geometry.geometry;
  const { width, height } = wiresSize(g);
  if (!canvas) {
    canvas = new OffscreenCanvas(width, height);
    ctx = canvas.getContext("2d", { alpha: false });
  }
  if (!ctx) return;
  drawWires(canvas, ctx, g, params);
  const bitmap = canvas.transferToImageBitmap();
  scope.postMessage({ type: "wires", id: geometry.id, bitmap }, [bitmap]);
}

scope.onmessage = (event) => {
  const m = event.data;
  if (m.type === "geometry") geometry = { id: m.id, geometry: m.geometry };
  else params = m.params;
  if (!pending) {
    pending = true;
    setTimeout(draw, 0);
  }
};
