import { FEATURE_LABELS, FEATURE_NAMES, type FeatureName } from "@backprop-lab/core";
import type { RunConfig } from "../state/document.js";
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { drawFocus, neuronPixels, pixelCanvas, type PixelCanvas } from "../draw/canvas.js";
import { drawWires, shadeOf, wiresSize, type WireGeometry } from "../draw/wires.js";
import type { FromWiresWorker, ToWiresWorker } from "../worker/wires.worker.js";
import { formatNumber, type Translate } from "../i18n.js";
import { biasName, unitName, weightName } from "../labels.js";
import type { Highlight } from "./explainer.js";
import { EDITOR_LIMITS, type Locale } from "../state/app-state.js";
import { HEATMAP_SIZE, THUMBNAIL_SIZE, type Frame, type RunInfo } from "../worker/protocol.js";

interface Props {
  store: FrameStore;
  info: RunInfo | null;
  config: RunConfig;
  locale: Locale;
  t: Translate;
  discretize: boolean;
  onToggleFeature(feature: FeatureName, on: boolean): void;
  onLayerCount(delta: 1 | -1): void;
  onLayerWidth(layer: number, width: number): void;
  onEdit(layer: number, row: number, col: number, value: number): void;
  onFocus(neuron: number | null): void;
  /** The explainer's stop: unit columns and link layers lit up. */
  highlight?: Highlight | null;
  /** What a classroom link switched off: those editing controls are not rendered and their clicks do nothing. */
  locked?: { features?: boolean; layers?: boolean; weights?: boolean };
}

interface Node {
  key: string;
  x: number;
  y: number;
  /** Side of the unit's square, px. */
  size: number;
  /** Index into Frame.neurons, or null for an unused input feature. */
  neuron: number | null;
  label: string | null;
}

interface Link {
  key: string;
  layer: number;
  row: number;
  col: number;
  from: Node;
  to: Node;
}

interface Editing {
  layer: number;
  row: number;
  col: number;
  x: number;
  y: number;
  value: string;
}

/** A bias square as styles.css places it: BIAS_SIDE px, BIAS_LEFT px left of its unit, its bottom BIAS_BELOW px below the unit's. */
const BIAS_SIDE = 8;
const BIAS_LEFT = 7;
const BIAS_BELOW = 3;
/** The links are redrawn at most this often while training (4 times a second: their widths move slowly, and each redraw costs the links worker about 14 ms on a 2-core machine without a GPU). */
const WIRES_MS = 250;

/** The links worker, or null where a worker cannot draw on an OffscreenCanvas (the page draws the links itself then). */
function createWiresWorker(): Worker | null {
  if (typeof Worker === "undefined" || typeof OffscreenCanvas === "undefined") return null;
  try {
    return new Worker(new URL("../worker/wires.worker.ts", import.meta.url), { type: "module" });
  } catch {
    return null;
  }
}

/** The first opaque background colour at or above `el` (what the diagram's canvas must paint under the links). */
function backgroundOf(el: Element | null): string {
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return "#ffffff";
}

/** Colours of a unit box as styles.css draws them (.node .thumb, .thumb.empty, .bias); the canvas repeats them. */
const BOX_BORDER = "#bbb";
const EMPTY_FILL = "#fafafa";
const BIAS_BORDER = "#777";
/** A hovered link's shade, drawn on the diagram's canvas (the SVG hit path under it only takes the pointer). */
const LINK_HOVER = "rgba(0, 0, 0, 0.18)";
/** A link focused from the keyboard: the page's focus-ring colour. */
const LINK_FOCUS = "#1f6feb";
/** The explainer's stops: forward in blue, backward in red, the update in green; the lit units' boxes. */
const HIGHLIGHT: Record<Highlight["kind"], string> = {
  inputs: "rgba(31, 111, 235, 0.45)",
  forward: "rgba(31, 111, 235, 0.45)",
  loss: "rgba(214, 39, 40, 0.45)",
  backward: "rgba(214, 39, 40, 0.45)",
  update: "rgba(44, 160, 44, 0.5)",
};
const HIGHLIGHT_BOX = "#1f6feb";

/** A link's curve: from the right edge of one unit to the left edge of the next, as [x1, y1, midX, x2, y2]. */
function wireEnds(a: Node, b: Node): [number, number, number, number, number] {
  const x1 = a.x + a.size;
  const y1 = a.y + a.size / 2;
  const x2 = b.x;
  const y2 = b.y + b.size / 2;
  return [x1, y1, (x1 + x2) / 2, x2, y2];
}


/**
 * The network as the Playground draws it: input features, hidden layers
 * with +/− buttons, the output; links whose width and colour follow their
 * weight, every weight and bias editable by clicking it, and a thumbnail of
 * every unit's output over the plane (hover to enlarge). The structure is
 * React; weights and thumbnails are redrawn imperatively on every frame.
 */
export function NetworkDiagram(props: Props): ReactElement {
  const { store, info, config, t, locale } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [hover, setHover] = useState<{ neuron: number; x: number; y: number } | null>(null);
  // the link under the pointer or focused from the keyboard: its weight shows beside it
  const [linkTip, setLinkTip] = useState<{ index: number; x: number; y: number; keyboard: boolean } | null>(null);
  // what each link and bias square shows now: the DOM is touched only when it changes
  const lockFeatures = props.locked?.features === true;
  const lockLayers = props.locked?.layers === true;
  const lockWeights = props.locked?.weights === true;
  // the links, every unit's map and box and the bias squares are drawn on one opaque canvas over the units' area
  // (SVG paths that never change and the boxes under it take the clicks and hovers)
  const unitsRef = useRef<HTMLCanvasElement>(null);
  const atlas = useRef<{ canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; image: ImageData; frame: Frame | null; discretize: boolean } | null>(null);
  const focusCanvas = useRef<PixelCanvas | null>(null);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // geometry from the configured network; the run's info supplies the neuron numbering
  const geometry = useMemo(() => {
    const hidden = info ? info.sizes.slice(1, -1) : config.network.hidden;
    const nOut = info ? info.sizes[info.sizes.length - 1]! : 1;
    const features = info ? info.document.features : config.features;
    const inline = info !== null && info.document.features.join() === "x1,x2" && info.sizes[0] !== 2;
    const tallest = Math.max(FEATURE_NAMES.length, ...hidden, nOut);
    // a column of up to 8 units at full size; a taller one shrinks to stay within about 540 px
    const pitchOf = (count: number) => (count <= 8 ? 42 : Math.min(42, 480 / count));
    const sizeOf = (count: number) => Math.max(6, Math.round(Math.min(32, pitchOf(count) * 0.75)));
    const node = 32;
    const top = 58;
    const cols = hidden.length + 2;
    const left = 56;
    const right = Math.max(width - node - 12, left + cols * (node + 16));
    const colX = (c: number) => left + ((right - left) * c) / (cols - 1);
    const place = (count: number, r: number) => {
      const size = sizeOf(count);
      // centred in the column's full-size slot, so links of small units still meet the column's axis
      const shrunk = count > 8 ? (pitchOf(count) - size) / 2 : 0;
      return { y: top + r * pitchOf(count) + shrunk, size, x: (c: number) => colX(c) + (node - size) / 2 };
    };
    const nodes: Node[][] = [];
    const inputs: Node[] = inline
      ? Array.from({ length: info!.sizes[0]! }, (_, i) => {
          const p = place(info!.sizes[0]!, i);
          return { key: `in${i}`, x: p.x(0), y: p.y, size: p.size, neuron: i, label: `x${i + 1}` };
        })
      : FEATURE_NAMES.map((f, r) => {
          const i = features.indexOf(f);
          const p = place(FEATURE_NAMES.length, r);
          return { key: `f-${f}`, x: p.x(0), y: p.y, size: p.size, neuron: i >= 0 ? i : null, label: FEATURE_LABELS[f] };
        });
    nodes.push(inputs);
    let neuron = info ? info.sizes[0]! : features.length;
    hidden.forEach((w, l) => {
      nodes.push(
        Array.from({ length: w }, (_, u) => {
          const p = place(w, u);
          return { key: `h${l}-${u}`, x: p.x(l + 1), y: p.y, size: p.size, neuron: neuron++, label: null };
        }),
      );
    });
    nodes.push(
      Array.from({ length: nOut }, (_, u) => {
        const p = place(nOut, u);
        return { key: `o${u}`, x: p.x(cols - 1), y: p.y, size: p.size, neuron: neuron++, label: null };
      }),
    );
    const links: Link[] = [];
    if (info) {
      for (let l = 0; l < nodes.length - 1; l++) {
        const from = nodes[l]!.filter((n) => n.neuron !== null);
        const ordered = l === 0 ? [...from].sort((a, b) => a.neuron! - b.neuron!) : from;
        ordered.forEach((a, row) => {
          nodes[l + 1]!.forEach((b, col) => links.push({ key: `${l}:${row}:${col}`, layer: l, row, col, from: a, to: b }));
        });
      }
    }
    const height = top + Math.max(...[FEATURE_NAMES.length, ...hidden, nOut].map((c) => c * pitchOf(c))) + 8;
    // the rectangle the canvas covers: every unit box and bias square, and the links between them (not the titles,
    // buttons and feature names around them, which stay page content)
    const all = nodes.flatMap((col, c) => col.map((n) => ({ n, c })));
    const x0 = Math.floor(Math.min(...all.map(({ n, c }) => n.x - (c > 0 ? BIAS_LEFT : 0)))) - 1;
    const y0 = Math.floor(Math.min(...all.map(({ n }) => n.y))) - 1;
    const x1 = Math.ceil(Math.max(...all.map(({ n }) => n.x + n.size))) + 1;
    const y1 = Math.ceil(Math.max(...all.map(({ n }) => n.y + n.size + BIAS_BELOW))) + 1;
    const rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    return { nodes, links, node, height, width, colX, hidden, top, tallest, rect };
  }, [info, config.network.hidden, config.features, width]);

  // the links worker lives as long as the diagram; its bitmaps come back tagged with the geometry they were drawn for
  const wiresWorker = useRef<Worker | null>(null);
  const wiresImage = useRef<{ id: number; image: CanvasImageSource; width: number; height: number } | null>(null);
  const wiresId = useRef(0);
  const paintRef = useRef<() => void>(() => {});
  const hoveredLink = useRef<number | null>(null);
  /** Whether the hovered link has keyboard focus (drawn as a focus ring, not a shade). */
  const focusedLink = useRef(false);
  const highlightRef = useRef<Highlight | null>(null);
  highlightRef.current = props.highlight ?? null;
  useEffect(() => paintRef.current(), [props.highlight]);
  useEffect(() => {
    const worker = createWiresWorker();
    wiresWorker.current = worker;
    if (worker) {
      worker.onmessage = (event: MessageEvent<FromWiresWorker>) => {
        const m = event.data;
        if (m.id !== wiresId.current) {
          m.bitmap.close();
          return;
        }
        const old = wiresImage.current?.image;
        if (old instanceof ImageBitmap) old.close();
        wiresImage.current = { id: m.id, image: m.bitmap, width: m.bitmap.width, height: m.bitmap.height };
        paintRef.current();
      };
    }
    return () => {
      worker?.terminate();
      wiresWorker.current = null;
    };
  }, []);

  // per-frame redraw: one opaque canvas over the units' area with the links (a bitmap redrawn at most every
  // WIRES_MS), the hovered link, every unit's map and box, and the bias squares
  useEffect(() => {
    const id = ++wiresId.current;
    hoveredLink.current = null;
    const rect = geometry.rect;
    const ratio = window.devicePixelRatio || 1;
    const background = backgroundOf(boxRef.current);
    const run0 = info;
    const wires: WireGeometry = {
      ...rect,
      ratio,
      background,
      curves: Float64Array.from(run0 ? geometry.links.flatMap((l) => wireEnds(l.from, l.to)) : []),
      weightIndex: Int32Array.from(run0 ? geometry.links.map((l) => run0.layout[l.layer]!.w + l.row * run0.sizes[l.layer + 1]! + l.col) : []),
    };
    const worker = wiresWorker.current;
    if (worker) worker.postMessage({ type: "geometry", id, geometry: wires } satisfies ToWiresWorker);
    // where no worker can draw them, the page draws the links on a canvas of its own, as rarely
    let own: HTMLCanvasElement | null = null;
    let wiresAt = -Infinity;
    let wiresTimer = 0;

    const drawWiresNow = () => {
      wiresTimer = 0;
      wiresAt = performance.now();
      const frame = store.frame;
      if (!frame || store.info !== info || !info) return;
      if (worker) {
        // a copy: the frame's buffers go back to the training worker
        const params = frame.params.slice();
        worker.postMessage({ type: "weights", params } satisfies ToWiresWorker, [params.buffer]);
        return;
      }
      own ??= document.createElement("canvas");
      const ctx = own.getContext("2d", { alpha: false });
      if (!ctx) return;
      drawWires(own, ctx, wires, frame.params);
      wiresImage.current = { id, image: own, width: own.width, height: own.height };
      paint();
    };

    const paint = () => {
      const canvas = unitsRef.current;
      const ctx = canvas?.getContext("2d", { alpha: false });
      if (!canvas || !ctx) return;
      const { width: w, height: h } = wiresSize(wires);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      // the links drawn for this geometry; until they come, those of the last one if they fit (a new run of the same network)
      const image = wiresImage.current;
      if (image && (image.id === id || (image.width === w && image.height === h))) ctx.drawImage(image.image, 0, 0, w, h);
      else {
        ctx.fillStyle = background;
        ctx.fillRect(0, 0, w, h);
      }
      // from here on, the diagram's own coordinates
      ctx.setTransform(ratio, 0, 0, ratio, -rect.x * ratio, -rect.y * ratio);
      const hovered = hoveredLink.current === null ? undefined : geometry.links[hoveredLink.current];
      if (hovered) {
        const [x1, y1, mx, x2, y2] = wireEnds(hovered.from, hovered.to);
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.bezierCurveTo(mx, y1, mx, y2, x2, y2);
        ctx.strokeStyle = focusedLink.current ? LINK_FOCUS : LINK_HOVER;
        ctx.lineWidth = focusedLink.current ? 5 : 9;
        ctx.stroke();
      }
      // the explainer's stop: its links in the stage's colour, under the units
      const lit = highlightRef.current;
      if (lit) {
        ctx.strokeStyle = HIGHLIGHT[lit.kind];
        ctx.lineWidth = 4;
        for (const link of geometry.links) {
          if (!lit.linkLayers.includes(link.layer)) continue;
          const [x1, y1, mx, x2, y2] = wireEnds(link.from, link.to);
          ctx.beginPath();
          ctx.moveTo(x1, y1);
          ctx.bezierCurveTo(mx, y1, mx, y2, x2, y2);
          ctx.stroke();
        }
      }
      const frame = store.frame;
      const run = store.info;
      const live = frame !== null && run !== null && run === info && frame.runId === run.runId ? { run, frame } : null;
      const a = live ? unitMaps(live.run, live.frame) : null;
      ctx.imageSmoothingEnabled = false;
      ctx.lineWidth = 1;
      for (const col of geometry.nodes) {
        for (const n of col) {
          const shown = n.neuron !== null && info !== null;
          if (!shown) {
            ctx.fillStyle = EMPTY_FILL;
            ctx.fillRect(n.x + 1, n.y + 1, n.size - 2, n.size - 2);
          } else if (a && n.neuron! < live!.run.neuronCount) {
            // inside the box's 1 px border
            ctx.drawImage(a.canvas, 0, n.neuron! * THUMBNAIL_SIZE, THUMBNAIL_SIZE, THUMBNAIL_SIZE, n.x + 1, n.y + 1, n.size - 2, n.size - 2);
          }
          ctx.strokeStyle = BOX_BORDER;
          ctx.setLineDash(shown ? [] : [3, 3]);
          ctx.strokeRect(n.x + 0.5, n.y + 0.5, n.size - 1, n.size - 1);
        }
      }
      ctx.setLineDash([]);
      if (lit) {
        ctx.strokeStyle = HIGHLIGHT_BOX;
        ctx.lineWidth = 3;
        for (const c of lit.columns) for (const n of geometry.nodes[c] ?? []) if (n.neuron !== null) ctx.strokeRect(n.x - 1.5, n.y - 1.5, n.size + 3, n.size + 3);
        ctx.lineWidth = 1;
      }
      // each bias's colour in its square, at the unit's lower left (the button there takes the clicks)
      if (info?.bias) {
        geometry.nodes.slice(1).forEach((col, l) =>
          col.forEach((n, u) => {
            const bx = n.x - BIAS_LEFT;
            const by = n.y + n.size + BIAS_BELOW - BIAS_SIDE;
            if (live) {
              ctx.fillStyle = shadeOf(live.frame.params[live.run.layout[l]!.b + u]!);
              ctx.fillRect(bx + 1, by + 1, BIAS_SIDE - 2, BIAS_SIDE - 2);
            }
            ctx.strokeStyle = BIAS_BORDER;
            ctx.strokeRect(bx + 0.5, by + 0.5, BIAS_SIDE - 1, BIAS_SIDE - 1);
          }),
        );
      }
    };

    /** Every unit's map as pixels of one THUMBNAIL_SIZE-wide canvas, a map under the other. */
    const unitMaps = (run: RunInfo, frame: Frame) => {
      const cells = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
      let a = atlas.current;
      // a repaint between frames (a hovered link, the links' new bitmap) reuses the maps already made for this frame
      if (a && a.frame === frame && a.discretize === props.discretize) return a;
      if (!a || a.image.height !== THUMBNAIL_SIZE * run.neuronCount) {
        const c = document.createElement("canvas");
        c.width = THUMBNAIL_SIZE;
        c.height = THUMBNAIL_SIZE * run.neuronCount;
        const cctx = c.getContext("2d");
        if (!cctx) return null;
        a = atlas.current = { canvas: c, ctx: cctx, image: cctx.createImageData(THUMBNAIL_SIZE, THUMBNAIL_SIZE * run.neuronCount), frame: null, discretize: false };
      }
      for (let k = 0; k < run.neuronCount; k++) neuronPixels(a.image.data.subarray(4 * cells * k, 4 * cells * (k + 1)), run, frame, k, props.discretize);
      a.ctx.putImageData(a.image, 0, 0);
      a.frame = frame;
      a.discretize = props.discretize;
      return a;
    };

    const redraw = () => {
      const frame = store.frame;
      const run = store.info;
      paint();
      if (!frame || !run || run !== info) return;
      if (focusCanvas.current && frame.focusIndex !== null) drawFocus(focusCanvas.current, run, frame, props.discretize);
      // the links follow at most every WIRES_MS (their widths move slowly; the maps above change every frame)
      const now = performance.now();
      if (now - wiresAt >= WIRES_MS) drawWiresNow();
      else if (!wiresTimer) wiresTimer = window.setTimeout(drawWiresNow, WIRES_MS - (now - wiresAt));
    };
    paintRef.current = paint;
    redraw();
    const unsubscribe = store.subscribe(redraw);
    return () => {
      unsubscribe();
      if (wiresTimer) clearTimeout(wiresTimer);
      paintRef.current = () => {};
    };
  }, [store, info, geometry, props.discretize]);


  const weightAt = (layer: number, row: number, col: number): number => {
    const frame = store.frame;
    if (!frame || !info) return Number.NaN;
    const off = info.layout[layer]!;
    return row < 0 ? frame.params[off.b + col]! : frame.params[off.w + row * info.sizes[layer + 1]! + col]!;
  };

  const startEdit = (layer: number, row: number, col: number, x: number, y: number) => {
    setEditing({ layer, row, col, x, y, value: String(weightAt(layer, row, col)) });
  };

  const commit = () => {
    if (!editing) return;
    const v = Number(editing.value.replace(",", "."));
    if (Number.isFinite(v)) props.onEdit(editing.layer, editing.row, editing.col, v);
    setEditing(null);
  };

  const { nodes, links, node, height, colX, hidden } = geometry;
  const layerCount = nodes.length;
  const nodeName = (c: number, n: Node) => unitName(locale, c, layerCount, c === 0 ? (n.neuron ?? 0) : nodes[c]!.indexOf(n), c === 0 ? n.label : null);
  const linkName = (link: Link) => weightName(locale, nodeName(link.layer, link.from), nodeName(link.layer + 1, link.to));
  const showLink = (i: number, keyboard: boolean) => {
    const link = links[i]!;
    const [x1, y1, mx, x2, y2] = wireEnds(link.from, link.to);
    hoveredLink.current = i;
    focusedLink.current = keyboard;
    paintRef.current();
    setLinkTip({ index: i, x: mx, y: (y1 + y2) / 2 + (x2 > x1 ? 0 : 0), keyboard });
  };
  const hideLink = (i: number) => {
    if (hoveredLink.current === i) {
      hoveredLink.current = null;
      focusedLink.current = false;
    }
    paintRef.current();
    setLinkTip((tip) => (tip && tip.index === i ? null : tip));
  };
  const path = (a: Node, b: Node) => {
    const [x1, y1, mx, x2, y2] = wireEnds(a, b);
    return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
  };

  return (
    <div
      className="network"
      ref={boxRef}
      style={{ height }}
      data-testid="network"
      data-highlight={props.highlight ? `${props.highlight.kind}:${props.highlight.columns.join(",")}:${props.highlight.linkLayers.join(",")}` : ""}
    >
      <div className="layer-count" style={{ left: colX(1) - 40 }}>
        {lockLayers ? null : (
          <>
        <button type="button" className="round" aria-label={t("addLayer")} title={t("addLayer")} onClick={() => props.onLayerCount(1)} disabled={hidden.length >= EDITOR_LIMITS.maxHiddenLayers}>
          +
        </button>
        <button type="button" className="round" aria-label={t("removeLayer")} title={t("removeLayer")} onClick={() => props.onLayerCount(-1)} disabled={hidden.length === 0}>
          −
        </button>
          </>
        )}
        <span data-testid="layer-count">
          {hidden.length} {hidden.length === 1 ? t("hiddenLayer") : t("hiddenLayers")}
        </span>
      </div>
      <div className="column-title" style={{ left: colX(0) - 40, width: node + 60 }}>{t("features")}</div>
      {hidden.map((w, l) => (
        <div key={l} className="layer-width" style={{ left: colX(l + 1) + node / 2 - 30 }}>
          {lockLayers ? null : <div>
            <button type="button" className="round small" aria-label={t("addNeuron")} title={t("addNeuron")} onClick={() => props.onLayerWidth(l, w + 1)} disabled={w >= EDITOR_LIMITS.maxWidth}>
              +
            </button>
            <button type="button" className="round small" aria-label={t("removeNeuron")} title={t("removeNeuron")} onClick={() => props.onLayerWidth(l, w - 1)} disabled={w <= 1}>
              −
            </button>
          </div>}
          <span>
            {w} {w === 1 ? t("neuron") : t("neurons")}
          </span>
        </div>
      ))}
      <div className="column-title" style={{ left: colX(nodes.length - 1) - 10, width: node + 20 }}>{t("outputTitle")}</div>
      <canvas ref={unitsRef} className="units" style={{ left: geometry.rect.x, top: geometry.rect.y, width: geometry.rect.width, height: geometry.rect.height }} data-testid="units" />
      <svg className="links" width="100%" height={height} aria-hidden="false">
        {links.map((link, i) => (
          <g
            key={link.key}
            className={lockWeights ? "link locked" : "link"}
            tabIndex={0}
            role={lockWeights ? "img" : "button"}
            aria-label={`${linkName(link)}: ${formatNumber(locale, weightAt(link.layer, link.row, link.col), 3)}`}
            data-testid={`link-focus-${link.key}`}
            onMouseEnter={() => showLink(i, false)}
            onMouseLeave={() => hideLink(i)}
            onFocus={() => showLink(i, true)}
            onBlur={() => hideLink(i)}
            onKeyDown={(e) => {
              if (lockWeights || (e.key !== "Enter" && e.key !== " ")) return;
              e.preventDefault();
              const [, y1, mx, , y2] = wireEnds(link.from, link.to);
              startEdit(link.layer, link.row, link.col, mx, (y1 + y2) / 2);
            }}
            onClick={lockWeights ? undefined : (e) => startEdit(link.layer, link.row, link.col, e.nativeEvent.offsetX, e.nativeEvent.offsetY)}>
            <path d={path(link.from, link.to)} className="hit" data-testid={`link-${link.key}`} />
          </g>
        ))}
      </svg>
      {nodes.map((col, c) =>
        col.map((n) => {
          const feature = c === 0 && n.key.startsWith("f-") ? (n.key.slice(2) as FeatureName) : null;
          const active = n.neuron !== null;
          return (
            <div key={n.key} className={`node${active ? "" : " inactive"}${c === 0 ? " input" : ""}`} style={{ left: n.x, top: n.y, width: n.size, height: n.size }}>
              {c === 0 && n.label !== null && lockFeatures ? (
                <span className={`feature-label locked${active ? " on" : ""}`} data-testid={feature ? `feature-${feature}` : undefined} aria-disabled="true">
                  {n.label}
                </span>
              ) : c === 0 && n.label !== null ? (
                <button
                  type="button"
                  className="feature-label"
                  aria-pressed={active}
                  data-testid={feature ? `feature-${feature}` : undefined}
                  onClick={() => feature && props.onToggleFeature(feature, !active)}
                  disabled={!feature}
                >
                  {n.label}
                </button>
              ) : null}
              {active && info ? (
                <div
                  className="thumb live"
                  data-testid={`thumb-${n.neuron}`}
                  tabIndex={0}
                  role={feature && !lockFeatures ? "button" : "img"}
                  aria-label={nodeName(c, n)}
                  onMouseEnter={() => {
                    setHover({ neuron: n.neuron!, x: n.x, y: n.y });
                    props.onFocus(n.neuron);
                  }}
                  onMouseLeave={() => {
                    setHover(null);
                    props.onFocus(null);
                  }}
                  onFocus={() => {
                    setHover({ neuron: n.neuron!, x: n.x, y: n.y });
                    props.onFocus(n.neuron);
                  }}
                  onBlur={() => {
                    setHover(null);
                    props.onFocus(null);
                  }}
                  onKeyDown={(e) => {
                    if (!feature || lockFeatures || (e.key !== "Enter" && e.key !== " ")) return;
                    e.preventDefault();
                    props.onToggleFeature(feature, false);
                  }}
                  onClick={() => feature && !lockFeatures && props.onToggleFeature(feature, false)}
                />
              ) : (
                <div className="thumb empty" onClick={() => feature && !lockFeatures && props.onToggleFeature(feature, true)} />
              )}
              {c > 0 && info?.bias && lockWeights ? (
                <span
                  className="bias locked"
                  data-testid={`bias-${c - 1}-${col.indexOf(n)}`}
                />
              ) : c > 0 && info?.bias ? (
                <button
                  type="button"
                  className="bias"
                  title={biasName(locale, c, layerCount, col.indexOf(n))}
                  aria-label={biasName(locale, c, layerCount, col.indexOf(n))}
                  data-testid={`bias-${c - 1}-${col.indexOf(n)}`}
                  onClick={() => startEdit(c - 1, -1, col.indexOf(n), n.x, n.y + n.size)}
                />
              ) : null}
            </div>
          );
        }),
      )}
      {hover ? (
        <div className="focus" style={{ left: Math.min(hover.x + node + 8, width - 210), top: Math.min(hover.y, geometry.height - 200) }}>
          <canvas
            ref={(el) => {
              focusCanvas.current = el ? pixelCanvas(el, HEATMAP_SIZE) : null;
            }}
          />
        </div>
      ) : null}
      {linkTip && links[linkTip.index] && !editing ? (
        <div className={`link-tip${linkTip.keyboard ? " keyboard" : ""}`} role="tooltip" data-testid="link-tip" style={{ left: Math.min(linkTip.x + 8, width - 230), top: linkTip.y - 28 }}>
          {linkName(links[linkTip.index]!)}: <b>{formatNumber(locale, weightAt(links[linkTip.index]!.layer, links[linkTip.index]!.row, links[linkTip.index]!.col), 3)}</b>
        </div>
      ) : null}
      {editing ? (
        <form
          className="weight-editor"
          style={{ left: Math.min(editing.x, width - 220), top: editing.y }}
          onSubmit={(e) => {
            e.preventDefault();
            commit();
          }}
        >
          <label>
            {editing.row < 0 ? t("biasEdit") : t("weightEdit")}{" "}
            <small>
              {editing.row < 0
                ? biasName(locale, editing.layer + 1, layerCount, editing.col)
                : (() => {
                    const link = links.find((l) => l.layer === editing.layer && l.row === editing.row && l.col === editing.col);
                    return link ? linkName(link) : "";
                  })()}
            </small>
            <input
              autoFocus
              data-testid="weight-input"
              inputMode="decimal"
              value={editing.value}
              onChange={(e) => setEditing({ ...editing, value: e.target.value })}
              onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
            />
          </label>
          <small>{formatNumber(locale, weightAt(editing.layer, editing.row, editing.col), 4)}</small>
          <button type="submit">{t("apply")}</button>
          <button type="button" onClick={() => setEditing(null)}>
            {t("cancel")}
          </button>
        </form>
      ) : null}
    </div>
  );
}
