import type { GridSample } from "@backprop-lab/viz";
import { CLASS_COLORS, PLAYGROUND_RAMP, rampColor, toRGBA } from "@backprop-lab/viz";
import { HEATMAP_SIZE, THUMBNAIL_SIZE, type Frame, type PointSet, type RunInfo } from "../worker/protocol.js";

/** The frame's grid as packages/viz's GridSample, over the transferred buffers (no copy). */
export function gridSampleOf(info: RunInfo, frame: Frame): GridSample {
  return {
    width: HEATMAP_SIZE,
    height: HEATMAP_SIZE,
    domain: info.domain,
    nOut: info.nOut,
    activation: info.outputActivation,
    threshold: info.threshold,
    value: frame.value,
    classIndex: frame.classIndex,
    outputs: frame.outputs,
  };
}

/** A canvas of exactly `size`² pixels and its reusable ImageData. */
export interface PixelCanvas {
  ctx: CanvasRenderingContext2D;
  image: ImageData;
}

export function pixelCanvas(canvas: HTMLCanvasElement, size: number): PixelCanvas | null {
  if (canvas.width !== size) canvas.width = size;
  if (canvas.height !== size) canvas.height = size;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  return { ctx, image: ctx.createImageData(size, size) };
}

export function drawHeatmap(target: PixelCanvas, info: RunInfo, frame: Frame, discretize: boolean): void {
  toRGBA(target.image.data, gridSampleOf(info, frame), { discretize });
  target.ctx.putImageData(target.image, 0, 0);
}

/** The value range a unit's map is coloured over: its activation's range, or ±max|x| for an input feature. */
export function neuronRange(info: RunInfo, index: number, values: Float64Array, offset: number, length: number): readonly [number, number] {
  const nInputs = info.sizes[0]!;
  if (index < nInputs) {
    let m = 0;
    for (let i = offset; i < offset + length; i++) m = Math.max(m, Math.abs(values[i]!));
    return m > 0 && Number.isFinite(m) ? [-m, m] : [-1, 1];
  }
  let rest = index - nInputs;
  let layer = 0;
  while (layer < info.activations.length - 1 && rest >= info.sizes[layer + 1]!) rest -= info.sizes[++layer]!;
  const act = info.activations[layer];
  return act === "sigmoid" || act === "softmax" ? [0, 1] : [-1, 1];
}

/** One unit's THUMBNAIL_SIZE² map as RGBA pixels into `out` (4 bytes a cell). */
export function neuronPixels(out: Uint8ClampedArray, info: RunInfo, frame: Frame, index: number, discretize = false): void {
  const cells = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
  const values = frame.neurons.subarray(index * cells, (index + 1) * cells);
  toRGBA(out, values, { ramp: PLAYGROUND_RAMP, range: neuronRange(info, index, frame.neurons, index * cells, cells), discretize });
}


export function drawFocus(target: PixelCanvas, info: RunInfo, frame: Frame, discretize: boolean): void {
  if (frame.focusIndex === null || frame.focus.length === 0) return;
  const range = neuronRange(info, frame.focusIndex, frame.focus, 0, frame.focus.length);
  toRGBA(target.image.data, frame.focus, { ramp: PLAYGROUND_RAMP, range, discretize });
  target.ctx.putImageData(target.image, 0, 0);
}

const css = (rgb: readonly number[]) => `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;

/** A point's fill: its class colour, or its regression target on the heatmap ramp. */
export function pointColor(info: RunInfo, target: number): string {
  if (info.regression) return css(rampColor(PLAYGROUND_RAMP, target) ?? [128, 128, 128]);
  return CLASS_COLORS[target % CLASS_COLORS.length]!;
}

/** Data coordinates → canvas pixels. */
export function toPixel(info: RunInfo, width: number, height: number, x1: number, x2: number): [number, number] {
  const d = info.domain;
  return [((x1 - d.xMin) / (d.xMax - d.xMin)) * width, ((d.yMax - x2) / (d.yMax - d.yMin)) * height];
}

export function fromPixel(info: RunInfo, width: number, height: number, px: number, py: number): [number, number] {
  const d = info.domain;
  return [d.xMin + (px / width) * (d.xMax - d.xMin), d.yMax - (py / height) * (d.yMax - d.yMin)];
}

/** Training points with a white ring, test points with a black one, as the Playground draws them. */
export function drawPoints(ctx: CanvasRenderingContext2D, info: RunInfo, showTest: boolean, width: number, height: number): void {
  ctx.clearRect(0, 0, width, height);
  const r = Math.max(2.5, Math.min(width, height) / 110);
  const draw = (set: PointSet, ring: string) => {
    for (let i = 0; i < set.n; i++) {
      const [px, py] = toPixel(info, width, height, set.x[2 * i]!, set.x[2 * i + 1]!);
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = pointColor(info, set.target[i]!);
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = ring;
      ctx.stroke();
    }
  };
  draw(info.train, "#ffffff");
  if (showTest) draw(info.test, "#000000");
}
