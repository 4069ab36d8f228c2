import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeLayout } from "./layout.js";

describe("layout", () => {
  it("picks three panels side by side from 120×30, a stack below 72×20", () => {
    expect(computeLayout(160, 48).kind).toBe("wide");
    expect(computeLayout(160, 24).kind).toBe("medium");
    expect(computeLayout(100, 16).kind).toBe("narrow");
    expect(computeLayout(100, 30).kind).toBe("medium");
    expect(computeLayout(80, 24).kind).toBe("medium");
    expect(computeLayout(60, 40).kind).toBe("narrow");
  });

  it("fits the terminal at every size the dashboard accepts, with a line to spare", () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 400 }), fc.integer({ min: 15, max: 200 }), (columns, rows) => {
        const l = computeLayout(columns, rows);
        const outer = (s: { width: number; height: number }) => ({ width: s.width + 2, height: s.height + 3 });
        for (const s of l.compact ? [l.loss, l.boundary, l.findings] : [l.accuracy, l.loss, l.boundary, l.info, l.findings]) {
          expect(s.width).toBeGreaterThanOrEqual(1);
          expect(s.height).toBeGreaterThanOrEqual(1);
        }
        // header + panels + message + keys
        if (l.kind === "wide") {
          expect(outer(l.accuracy).width + outer(l.boundary).width + outer(l.loss).width).toBeLessThan(columns);
          expect(1 + outer(l.boundary).height + outer(l.info).height + 2).toBeLessThan(rows);
          expect(outer(l.accuracy).height).toBe(outer(l.boundary).height);
        } else if (l.kind === "medium") {
          expect(outer(l.boundary).width + outer(l.accuracy).width).toBeLessThan(columns);
          expect(outer(l.accuracy).height + outer(l.loss).height).toBe(outer(l.boundary).height);
          expect(1 + outer(l.boundary).height + l.info.height + 1 + 2).toBeLessThan(rows);
        } else {
          // one column: every box's lines plus header, message and keys leave the last line free (70×20 overflowed)
          const boxes = outer(l.boundary).height + outer(l.loss).height + (l.compact ? 0 : outer(l.accuracy).height + l.info.height + 1) + l.findings.height + 1;
          expect(1 + boxes + 2).toBeLessThan(rows);
        }
        // the boundary's pixels are square: two grid rows per text row, cells twice as tall as wide
        expect(l.boundary.width).toBeLessThanOrEqual(2 * l.boundary.height);
      }),
    );
  });
});
