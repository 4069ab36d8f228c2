import type { TrainingRun } from "@backprop-lab/core";
import { createGridSampler, domainForDataset, toTerminalCells, type ColorMode, type Domain, type GridSampler, type TerminalPoint } from "@backprop-lab/viz";
import { cellsToLines } from "./cells.js";

/** Draws a run's decision boundary into a fixed number of character cells, again and again. */
export interface BoundaryRenderer {
  readonly width: number;
  readonly rows: number;
  readonly domain: Domain;
  /** The boundary of the network's current weights with the training points on it: `rows` strings. */
  render(): string[];
}

/**
 * A boundary `width` cells wide and `rows` cells tall: viz samples the
 * network on a width × 2·rows grid and turns it into half-block cells (two
 * grid rows per text row) with the training points drawn on top. Null when
 * the data is not 2-D, so there is no plane to draw.
 */
export function createBoundaryRenderer(run: TrainingRun, width: number, rows: number, mode: ColorMode): BoundaryRenderer | null {
  const pts = run.points.train;
  if (pts.nIn !== 2 || width < 2 || rows < 1) return null;
  const data = run.document.data;
  const domain = data.source === "generated" ? domainForDataset(data.name) : domainForDataset(pts);
  const sampler: GridSampler = createGridSampler(run.net, {
    resolution: { width, height: 2 * rows },
    domain,
    features: run.document.features,
    encoding: run.train.encoding,
  });
  const points: TerminalPoint[] = [];
  if (pts.labels) for (let i = 0; i < pts.n; i++) points.push({ x: pts.x[2 * i]!, y: pts.x[2 * i + 1]!, cls: pts.labels[i]! });
  return {
    width,
    rows,
    domain,
    render: () => cellsToLines(toTerminalCells(sampler.sample(), { colorMode: mode, points, domain }), mode),
  };
}
