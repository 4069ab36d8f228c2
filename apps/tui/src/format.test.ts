import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitNumber } from "./format.js";

describe("fitNumber", () => {
  it("never needs more than the width and reads back close to the number (7 characters: the charts' axis labels)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 7, max: 10 }), (x, width) => {
        const s = fitNumber(x, width);
        expect(s.length).toBeLessThanOrEqual(width);
        const back = Number(s);
        // at least one significant digit survives: within half a unit of the first digit
        if (x === 0) expect(back).toBe(0);
        else expect(Math.abs(back - x) / Math.abs(x)).toBeLessThanOrEqual(0.5);
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it("writes the diverged run's loss labels whole", () => {
    expect(fitNumber(1.7e246, 7)).toBe("1.7e246");
    expect(fitNumber(1.234e-300, 7)).toBe("1e-300");
    expect(fitNumber(0.2659, 7)).toBe("0.2659");
  });
});
