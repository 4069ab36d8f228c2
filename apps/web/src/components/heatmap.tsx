import { useEffect, useRef, type MouseEvent, type ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { drawHeatmap, drawPoints, fromPixel, pixelCanvas, type PixelCanvas } from "../draw/canvas.js";
import { formatNumber, formatPercent, type Translate } from "../i18n.js";
import type { Locale } from "../state/app-state.js";
import { eachPolyline } from "../worker/boundary.js";
import { HEATMAP_SIZE, type Frame, type RunInfo } from "../worker/protocol.js";

interface Props {
  store: FrameStore;
  info: RunInfo | null;
  showTest: boolean;
  discretize: boolean;
  showBoundary: boolean;
  /** Whether a click on the plot adds a point (a classroom link can turn it off). */
  addPoints: boolean;
  t: Translate;
  locale: Locale;
  /** A click on the plot: data coordinates, and whether shift was held. */
  onAddPoint(x1: number, x2: number, alternate: boolean): void;
}

/**
 * The decision boundary: a HEATMAP_SIZE² canvas stretched over the plot,
 * redrawn on every frame; the boundary line the worker traced, on a canvas
 * at the screen's resolution, also redrawn every frame; the data points on
 * a canvas above both (redrawn only when the data or "show test data" change).
 */
export function Heatmap({ store, info, showTest, discretize, showBoundary, addPoints, t, locale, onAddPoint }: Props): ReactElement {
  const summaryRef = useRef<HTMLParagraphElement>(null);
  // the text alternative, refreshed at reading speed: accuracy and the class (or mean output) of each of 3 × 3 regions
  useEffect(() => {
    const update = () => {
      const el = summaryRef.current;
      const frame = store.frame;
      const run = store.info;
      if (!el || !frame || !run || frame.runId !== run.runId) return;
      el.textContent = heatmapSummary(run, frame, t, locale);
    };
    update();
    return store.subscribeSlow(update);
  }, [store, t, locale]);
  const gridRef = useRef<HTMLCanvasElement>(null);
  const lineRef = useRef<HTMLCanvasElement>(null);
  const pointsRef = useRef<HTMLCanvasElement>(null);
  const pixels = useRef<PixelCanvas | null>(null);

  useEffect(() => {
    if (!gridRef.current) return;
    pixels.current = pixelCanvas(gridRef.current, HEATMAP_SIZE);
    const redraw = () => {
      const frame = store.frame;
      const run = store.info;
      if (frame && run && pixels.current) drawHeatmap(pixels.current, run, frame, discretize);
    };
    redraw();
    return store.subscribe(redraw);
  }, [store, discretize]);

  useEffect(() => {
    const canvas = lineRef.current;
    if (!canvas || !showBoundary) return;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    let w = 0;
    let h = 0;
    const redraw = () => {
      const frame = store.frame;
      const run = store.info;
      // a new run clears the old line until its first frame comes
      if (run && frame && frame.runId === run.runId) drawBoundary(ctx, run, frame, w, h);
      else ctx.clearRect(0, 0, w, h);
    };
    const resize = () => {
      const ratio = window.devicePixelRatio || 1;
      w = canvas.clientWidth;
      h = canvas.clientHeight;
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      redraw();
    };
    resize();
    const ro = new ResizeObserver(resize);
    ro.observe(canvas);
    const unsubscribe = store.subscribe(redraw);
    return () => {
      ro.disconnect();
      unsubscribe();
    };
  }, [store, showBoundary]);

  useEffect(() => {
    const canvas = pointsRef.current;
    if (!canvas || !info) return;
    const draw = () => {
      const ratio = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawPoints(ctx, info, showTest, w, h);
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [info, showTest]);

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!info || !addPoints) return;
    const r = e.currentTarget.getBoundingClientRect();
    const [x1, x2] = fromPixel(info, r.width, r.height, e.clientX - r.left, e.clientY - r.top);
    onAddPoint(x1, x2, e.shiftKey);
  };

  const d = info?.domain;
  return (
    <figure className="heatmap" data-testid="heatmap">
      <div className="plot">
        <canvas ref={gridRef} className="grid" />
        {showBoundary ? <canvas ref={lineRef} className="boundary" data-testid="boundary" aria-label={t("boundaryLine")} /> : null}
        <canvas ref={pointsRef} className={`points${addPoints ? "" : " fixed"}`} onClick={click} title={addPoints ? t("clickToAdd") : undefined} data-testid="points" />
      </div>
      {d ? (
        <figcaption className="axes" aria-hidden="true">
          <span>{formatNumber(locale, d.xMin, 0)}</span>
          <span>x₁</span>
          <span>{formatNumber(locale, d.xMax, 0)}</span>
        </figcaption>
      ) : null}
      <p ref={summaryRef} className="sr-only" data-testid="heatmap-summary" />
    </figure>
  );
}

/**
 * The heatmap in words: training and test accuracy, then the class that
 * covers most of each of 3 × 3 regions of the plane (regression: the mean
 * output there), top left to bottom right.
 */
export function heatmapSummary(run: RunInfo, frame: Frame, t: Translate, locale: Locale): string {
  const regions = t("regionNames").split("|");
  const classes = t("classNames").split("|");
  const n = HEATMAP_SIZE;
  const parts: string[] = [];
  for (let ry = 0; ry < 3; ry++) {
    for (let rx = 0; rx < 3; rx++) {
      const counts = new Float64Array(Math.max(run.classes, 2));
      let sum = 0;
      let cells = 0;
      for (let y = Math.floor((ry * n) / 3); y < Math.floor(((ry + 1) * n) / 3); y++) {
        for (let x = Math.floor((rx * n) / 3); x < Math.floor(((rx + 1) * n) / 3); x++) {
          const i = y * n + x;
          counts[frame.classIndex[i]!] = (counts[frame.classIndex[i]!] ?? 0) + 1;
          sum += frame.value[i]!;
          cells++;
        }
      }
      let best = 0;
      for (let c = 1; c < counts.length; c++) if (counts[c]! > counts[best]!) best = c;
      parts.push(`${regions[ry * 3 + rx]} ${run.regression ? formatNumber(locale, sum / cells, 2) : (classes[best] ?? String(best + 1))}`);
    }
  }
  const m = frame.metrics;
  const acc = run.regression
    ? ""
    : `${t("trainAccuracy")} ${formatPercent(locale, m.trainAccuracy)}${m.testAccuracy !== null && run.test.n > 0 ? `, ${t("testAccuracy")} ${formatPercent(locale, m.testAccuracy)}` : ""}; `;
  return `${t("heatmapSummary")}: ${acc}${run.regression ? t("heatmapRegression") : t("heatmapRegions")}: ${parts.join(", ")}.`;
}

/** The boundary as a dark line on a white halo, crisp over both class colours. */
function drawBoundary(ctx: CanvasRenderingContext2D, info: RunInfo, frame: Frame, width: number, height: number): void {
  ctx.clearRect(0, 0, width, height);
  if (frame.boundary.length === 0) return;
  // toPixel's mapping, inlined: data (x1, x2) → canvas (px, py), row 0 at the top
  const d = info.domain;
  const sx = width / (d.xMax - d.xMin);
  const sy = height / (d.yMax - d.yMin);
  ctx.beginPath();
  eachPolyline(frame.boundary, (xy) => {
    ctx.moveTo((xy[0]! - d.xMin) * sx, (d.yMax - xy[1]!) * sy);
    for (let i = 2; i < xy.length; i += 2) ctx.lineTo((xy[i]! - d.xMin) * sx, (d.yMax - xy[i + 1]!) * sy);
  });
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
  ctx.lineWidth = 4;
  ctx.stroke();
  ctx.strokeStyle = "#1a1a1a";
  ctx.lineWidth = 1.75;
  ctx.stroke();
}
