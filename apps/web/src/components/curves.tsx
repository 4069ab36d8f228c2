import { useEffect, useRef, type ReactElement } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { FrameStore, MetricName } from "../client/frame-store.js";
import { formatNumber, type Translate } from "../i18n.js";
import type { Locale } from "../state/app-state.js";

export interface CurveSpec {
  metric: MetricName;
  label: string;
  color: string;
  dash?: number[];
  /** "y" (left) or "lr" (right, for the learning rate). */
  scale?: "y" | "lr";
}

interface Props {
  store: FrameStore;
  title: string;
  curves: CurveSpec[];
  locale: Locale;
  t: Translate;
  /** Draw a tick at the bottom of the plot at every step where updates were clipped. */
  markClipping?: boolean;
  testId: string;
  percent?: boolean;
}

/** Points drawn per curve: the series are downsampled with packages/viz's LTTB. */
const POINTS = 300;
/** Charts refresh at most this often while training (4 times a second); the heatmap and the thumbnails redraw every frame. */
const REFRESH_MS = 250;

/** One uPlot chart of several metric series against the step. */
export function Curves({ store, title, curves, locale, t, markClipping, testId, percent }: Props): ReactElement {
  const boxRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const fmt = (v: number | null) => (v === null ? "" : percent ? `${formatNumber(locale, v * 100, 0)} %` : formatNumber(locale, v, 3));
    const hasLr = curves.some((c) => c.scale === "lr");
    const clipMarks = (u: uPlot) => {
      if (!markClipping) return;
      const clipped = store.series.clipped.view(POINTS);
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = "#d62728";
      for (let i = 0; i < clipped.x.length; i++) {
        if (!(clipped.y[i]! > 0)) continue;
        const px = u.valToPos(clipped.x[i]!, "x", true);
        ctx.fillRect(px - 1, u.bbox.top + u.bbox.height - 8 * devicePixelRatio, 2 * devicePixelRatio, 8 * devicePixelRatio);
      }
      ctx.restore();
    };
    const opts: uPlot.Options = {
      width: Math.max(160, box.clientWidth),
      height: 120,
      legend: { show: true, live: false },
      cursor: { show: false },
      // room on the right for half of the last step label ("6000" was cut to "600")
      padding: [6, 18, 0, 0],
      scales: { x: { time: false }, y: { auto: true, ...(percent ? { range: [0, 1] as uPlot.Range.MinMax } : {}) }, ...(hasLr ? { lr: { auto: true, range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, (max > 0 ? max : 1) * 1.1] } } : {}) },
      axes: [
        // steps are whole numbers: fractional ticks of a short run stay blank
        { size: 24, font: "10px system-ui", values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? formatNumber(locale, v, 0) : "")) },
        { size: percent ? 52 : 46, font: "10px system-ui", values: (_u, vals) => vals.map((v) => fmt(v)) },
        // the learning rate has its own scale from 0 (a decay shows as a falling line); its value shows in the legend
        ...(hasLr ? [{ scale: "lr", show: false }] : []),
      ],
      series: [
        { label: "step" },
        ...curves.map((c) => ({ label: c.label, stroke: c.color, width: 1.5, scale: c.scale ?? "y", spanGaps: true, ...(c.dash ? { dash: c.dash } : {}), value: (_u: uPlot, v: number | null) => fmt(v) })),
      ],
      hooks: { draw: [clipMarks] },
    };
    const empty: uPlot.AlignedData = [new Float64Array(0), ...curves.map(() => new Float64Array(0))];
    const plot = new uPlot(opts, empty, box);
    let last = 0;
    let timer = 0;
    const update = () => {
      timer = 0;
      last = performance.now();
      const tables = curves.map((c) => {
        const v = store.series[c.metric].view(POINTS);
        // non-finite values break the axis range; they show as a gap
        const y = Array.from(v.y, (x) => (Number.isFinite(x) ? x : null));
        return [Array.from(v.x), y] as [number[], (number | null)[]];
      });
      const joined = tables.length === 1 ? ([tables[0]![0], tables[0]![1]] as uPlot.AlignedData) : uPlot.join(tables as uPlot.AlignedData[]);
      plot.setData(joined);
      // the text alternative: the latest value of every curve
      const summary = summaryRef.current;
      if (summary) {
        const latest = curves.map((c) => {
          const s = store.series[c.metric];
          const v = s.length > 0 ? s.valueAt(s.length - 1) : Number.NaN;
          return `${c.label} ${Number.isFinite(v) ? (c.scale === "lr" ? formatNumber(locale, v, 4) : fmt(v)) : "—"}`;
        });
        const s0 = store.series[curves[0]!.metric];
        summary.textContent = s0.length > 0 ? `${title}: ${t("chartLatest")} ${s0.stepAt(s0.length - 1)}: ${latest.join(", ")}.` : `${title}.`;
      }
    };
    const onChange = () => {
      if (timer) return;
      const wait = Math.max(0, REFRESH_MS - (performance.now() - last));
      timer = window.setTimeout(update, wait);
    };
    update();
    const unsubscribe = store.subscribe(onChange);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(160, box.clientWidth), height: 120 }));
    ro.observe(box);
    return () => {
      unsubscribe();
      ro.disconnect();
      if (timer) clearTimeout(timer);
      plot.destroy();
    };
  }, [store, curves, locale, markClipping, percent, title, t]);

  return (
    <section className="curves" data-testid={testId}>
      <h3>{title}</h3>
      <div ref={boxRef} className="chart" aria-hidden="true" />
      <p ref={summaryRef} className="sr-only" data-testid={`${testId}-summary`} />
      {markClipping ? <small className="legend-note">▮ {t("clipMarker")}</small> : null}
    </section>
  );
}
