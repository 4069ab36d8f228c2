import { useEffect, useRef, type MouseEvent, type ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { drawHeatmap, drawPoints, fromPixel, pixelCanvas, type PixelCanvas } from "../draw/canvas.js";
import type { Translate } from "../i18n.js";
import { HEATMAP_SIZE, type RunInfo } from "../worker/protocol.js";

interface Props {
  store: FrameStore;
  info: RunInfo | null;
  showTest: boolean;
  discretize: boolean;
  t: Translate;
  /** A click on the plot: data coordinates, and whether shift was held. */
  onAddPoint(x1: number, x2: number, alternate: boolean): void;
}

/**
 * The decision boundary: a HEATMAP_SIZE² canvas stretched over the plot,
 * redrawn on every frame, with the data points on a canvas above it at the
 * screen's resolution (redrawn only when the data or "show test data" change).
 */
export function Heatmap({ store, info, showTest, discretize, t, onAddPoint }: Props): ReactElement {
  const gridRef = useRef<HTMLCanvasElement>(null);
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
    if (!info) return;
    const r = e.currentTarget.getBoundingClientRect();
    const [x1, x2] = fromPixel(info, r.width, r.height, e.clientX - r.left, e.clientY - r.top);
    onAddPoint(x1, x2, e.shiftKey);
  };

  const d = info?.domain;
  return (
    <figure className="heatmap" data-testid="heatmap">
      <div className="plot">
        <canvas ref={gridRef} className="grid" />
        <canvas ref={pointsRef} className="points" onClick={click} title={t("clickToAdd")} data-testid="points" />
      </div>
      {d ? (
        <figcaption className="axes">
          <span>{d.xMin.toFixed(0)}</span>
          <span>x₁</span>
          <span>{d.xMax.toFixed(0)}</span>
        </figcaption>
      ) : null}
    </figure>
  );
}
