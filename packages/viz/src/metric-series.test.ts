import { BackpropError } from "@backprop-lab/core";
import { describe, expect, test } from "vitest";
import { createMetricSeries } from "./metric-series.js";

describe("MetricSeries", () => {
  test("a million steps draw from at most 500 points with the endpoints and extremes", () => {
    const series = createMetricSeries({ initialCapacity: 16 });
    let min = Infinity;
    let max = -Infinity;
    for (let step = 1; step <= 1_000_000; step++) {
      const loss = 0.25 / Math.sqrt(step) + 0.01 * Math.sin(step / 997) + (step === 654_321 ? 3 : 0);
      series.append(step, loss);
      min = Math.min(min, loss);
      max = Math.max(max, loss);
    }
    expect(series.length).toBe(1_000_000);
    expect([series.min, series.max]).toEqual([min, max]);
    const view = series.view(500);
    expect(view.x.length).toBeLessThanOrEqual(500);
    expect([view.x[0], view.x.at(-1)]).toEqual([1, 1_000_000]);
    expect(Math.max(...view.y)).toBe(max);
    expect(Math.min(...view.y)).toBe(min);
    expect(Array.from(view.x)).toContain(654_321);
  });

  test("a window by step, and the view's arrays are reused", () => {
    const series = createMetricSeries();
    for (let step = 0; step < 5000; step += 5) series.append(step, step % 7);
    const window = series.view(10, { fromStep: 1000, toStep: 2000 });
    expect([window.x[0], window.x.at(-1)]).toEqual([1000, 2000]);
    expect(Math.min(...window.y)).toBe(0);
    expect(Math.max(...window.y)).toBe(6);
    const again = series.view(10, { fromStep: 3000 });
    expect(again.x.buffer).toBe(window.x.buffer);
    expect(again.x[0]).toBe(3000);
    expect(series.view(10, { fromStep: 9000 }).x.length).toBe(0);
  });

  test("NaN and Infinity are stored as data; min and max track finite values only", () => {
    const series = createMetricSeries();
    series.append(0, Number.NaN);
    expect(Number.isNaN(series.min)).toBe(true);
    series.append(1, 2);
    series.append(2, Number.POSITIVE_INFINITY);
    series.append(3, 1);
    expect([series.min, series.max, series.length]).toEqual([1, 2, 4]);
    expect(Number.isNaN(series.valueAt(0))).toBe(true);
    expect(series.valueAt(2)).toBe(Number.POSITIVE_INFINITY);
    expect(Array.from(series.steps())).toEqual([0, 1, 2, 3]);
  });

  test("at maxLength the series halves itself by downsampling and keeps going", () => {
    const series = createMetricSeries({ initialCapacity: 8, maxLength: 64 });
    for (let step = 0; step < 200; step++) series.append(step, step === 10 ? -50 : step === 150 ? 99 : step % 5);
    expect(series.compactions).toBeGreaterThan(0);
    expect(series.length).toBeLessThanOrEqual(64);
    const values = Array.from(series.values());
    expect(values).toContain(-50);
    expect(values).toContain(99);
    expect([series.stepAt(0), series.stepAt(series.length - 1)]).toEqual([0, 199]);
    const steps = Array.from(series.steps());
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1]!)).toBe(true);
  });

  test("steps may not go back; clear empties", () => {
    const series = createMetricSeries();
    series.append(5, 1);
    expect(() => series.append(4, 1)).toThrow(BackpropError);
    expect(() => series.append(Number.NaN, 1)).toThrow(/step/);
    series.clear();
    expect(series.length).toBe(0);
    series.append(1, 3);
    expect(series.valueAt(0)).toBe(3);
    expect(() => series.valueAt(1)).toThrow(/i/);
  });
});
