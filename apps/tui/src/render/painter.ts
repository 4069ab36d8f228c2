import { stripVTControlCharacters } from "node:util";
import ansiEscapes from "ansi-escapes";

/** What the painter needs of an Ink box: its Yoga node (for the computed position) and its parent chain. */
export interface PaintTarget {
  parentNode?: PaintTarget | undefined;
  yogaNode?: { getComputedLeft(): number; getComputedTop(): number; getComputedHeight(): number } | undefined;
}

export interface Region {
  /** The Ink box the lines go into, laid out (and left empty) by Ink. */
  target: PaintTarget;
  width: number;
  height: number;
  /** Produces the region's lines for the current state. */
  lines: () => readonly string[];
}

/**
 * Draws the fast-changing parts of the dashboard (the boundary and the two
 * curves) straight onto the terminal, into boxes Ink lays out and leaves
 * empty.
 *
 * Ink rebuilds its whole frame, character by character, on every update:
 * at 160×48 that costs far more than a training slice, so redrawing the
 * live panels through it ten times a second would starve training and key
 * handling. Here Ink still owns the layout, the text and the keys, and
 * re-renders a few times a second; the painter writes only the live
 * regions, each frame, at the positions Yoga computed. After every write Ink
 * makes, the painter writes its regions again, so Ink's erasing of a line
 * never leaves a hole.
 */
export interface Painter {
  set(id: string, region: Region | null): void;
  readonly size: number;
  /** Recomputes every region's lines and writes them. Returns the milliseconds it took. */
  paint(): number;
  /** Writes the last lines again (after Ink wrote over the screen). */
  repaint(): void;
  /** A stdout for Ink whose writes are followed by a repaint. */
  wrap<T extends NodeJS.WriteStream>(stdout: T): T;
}

/**
 * Where a box sits on the screen. Ink draws its frame from the top-left
 * corner of the (alternate) screen; a frame taller than the terminal
 * scrolls up by the excess, and so does every box in it.
 */
function absolute(node: PaintTarget, rows: number | undefined): { x: number; y: number } {
  let x = 0;
  let y = 0;
  let root = node;
  for (let n: PaintTarget | undefined = node; n; n = n.parentNode) {
    root = n;
    if (n.yogaNode) {
      x += n.yogaNode.getComputedLeft();
      y += n.yogaNode.getComputedTop();
    }
  }
  const height = root.yogaNode ? root.yogaNode.getComputedHeight() : 0;
  const scrolled = rows !== undefined && rows > 0 ? Math.max(0, height - rows) : 0;
  return { x, y: y - scrolled };
}

/** Pads or cuts a line (which may hold colour escapes) to exactly `width` visible cells. */
export function fitLine(line: string, width: number): string {
  const visible = stripVTControlCharacters(line).length;
  if (visible === width) return line;
  if (visible < width) return line + " ".repeat(width - visible);
  // rare: a line too long; drop the colour rather than cut inside an escape
  return stripVTControlCharacters(line).slice(0, width);
}

const BEGIN_SYNC = "\u001B[?2026h";
const END_SYNC = "\u001B[?2026l";
const RESET = "\u001B[0m";

export function createPainter(out: { write(s: string): unknown; rows?: number }, now: () => number = () => performance.now()): Painter {
  const regions = new Map<string, Region>();
  const cache = new Map<string, readonly string[]>();
  let queued = false;
  let inInkSync = false;

  /** The escape codes that draw every region from the cache, cursor saved and restored around them. */
  function frame(): string {
    if (regions.size === 0) return "";
    let s = ansiEscapes.cursorSavePosition;
    for (const [id, r] of regions) {
      // a region just laid out (back from another view) is drawn even while training is paused
      let lines = cache.get(id);
      if (!lines) cache.set(id, (lines = r.lines()));
      const { x, y } = absolute(r.target, out.rows);
      for (let i = 0; i < r.height; i++) {
        if (y + i >= 0) s += ansiEscapes.cursorTo(x, y + i) + fitLine(lines[i] ?? "", r.width) + RESET;
      }
    }
    return s + ansiEscapes.cursorRestorePosition;
  }

  function write(): void {
    const s = frame();
    if (s) out.write(BEGIN_SYNC + s + END_SYNC);
  }

  const painter: Painter = {
    set(id, region) {
      if (region) {
        regions.set(id, region);
        cache.delete(id);
        // drawn once the commit that laid it out is over
        painter.repaint();
      } else {
        regions.delete(id);
        cache.delete(id);
      }
    },
    get size() {
      return regions.size;
    },
    paint() {
      const t = now();
      for (const [id, r] of regions) cache.set(id, r.lines());
      write();
      return now() - t;
    },
    repaint() {
      // Ink writes a frame in a few chunks; repaint once after the last of them
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        write();
      });
    },
    wrap(stdout) {
      return new Proxy(stdout, {
        get(target, prop) {
          if (prop === "write") {
            return (...args: Parameters<NodeJS.WriteStream["write"]>) => {
              const chunk = args[0];
              // inside Ink's synchronized update, draw the regions before it ends, so no frame shows them blank
              if (chunk === BEGIN_SYNC) inInkSync = true;
              else if (chunk === END_SYNC && inInkSync) {
                inInkSync = false;
                target.write(frame());
              }
              const ok = target.write(...args);
              if (!inInkSync && chunk !== END_SYNC) painter.repaint();
              return ok;
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
  return painter;
}
