// A tiny run of the load test (scripts/load.ts): small requests, 3 copies
// each, against a real server in a child process. Only correctness is
// asserted (every answer 200, 429, 503 or 504; every probe answered 200),
// never a timing.
import { expect, it } from "vitest";
import { runLoad } from "./test/load.js";

it("runs the load test's machinery: every answer 200/429/503/504, every /health probe 200", async () => {
  const r = await runLoad({ scale: "tiny", copies: 3, probeEveryMs: 50 });
  expect(r.routes.map((x) => x.route).sort()).toEqual(["/v1/boundary", "/v1/evaluate", "/v1/explain", "/v1/gradient-check", "/v1/predict", "/v1/train", "/v1/train/stream"]);
  for (const route of r.routes) {
    expect(Object.keys(route.statuses).filter((s) => !["200", "429", "503", "504"].includes(s)), route.route).toEqual([]);
    expect(Object.values(route.statuses).reduce((a, b) => a + b, 0)).toBe(3);
    expect(route.responseBytes).toBeGreaterThan(0);
  }
  expect(r.probe.failed).toBe(0);
  expect(r.probe.count).toBeGreaterThan(0);
  expect(Object.keys(r.probe.statuses)).toEqual(["200"]);
  expect(r.rss.peakBytes).toBeGreaterThanOrEqual(r.rss.startBytes);
  // the stated ceiling, by hand: start + 2 × (2 workers × 64 MiB + 3 copies × (1 MiB body + 8 MiB answer))
  expect(r.rss.ceilingBytes).toBe(r.rss.startBytes + 2 * (2 * 64 * 1048576 + 3 * (1048576 + 8 * 1048576)));
}, 300_000);
