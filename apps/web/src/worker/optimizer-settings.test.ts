import type { RunConfig } from "../state/document.js";
import { runStateOf } from "../state/document.js";
import { describe, expect, it } from "vitest";
import { defaultAppState, type PastSettings } from "../state/app-state.js";
import { decodeState, encodeState } from "../state/url.js";
import { createWorkerHandler } from "./handler.js";
import type { Frame, FromWorker, RunState } from "./protocol.js";

function start(state: RunState) {
  const posted: FromWorker[] = [];
  const handler = createWorkerHandler((m) => posted.push(m));
  handler.handle({ type: "init", state });
  const tick = (steps: number): Frame => {
    handler.handle({ type: "tick", steps, focus: null, recycle: [] });
    const m = posted.pop()!;
    if (m.type !== "frame") throw new Error(`expected a frame, got ${m.type}`);
    return m.frame;
  };
  const configure = (next: RunState): PastSettings[] => {
    handler.handle({ type: "configure", state: next });
    const m = posted.pop()!;
    if (m.type !== "configured") throw new Error(`expected configured, got ${m.type}`);
    return m.history;
  };
  return { tick, configure };
}

const withOptimizer = (config: RunConfig, optimizer: RunConfig["training"]["optimizer"]): RunConfig => ({ ...config, training: { ...config.training, optimizer } });
const runState = (config: RunConfig, history: PastSettings[] = []): RunState => runStateOf({ ...defaultAppState(), config, history });

describe("optimizer parameters", () => {
  it.each([
    ["adam β₁", { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, { kind: "adam", beta1: 0.5, beta2: 0.999, epsilon: 1e-8 }],
    ["momentum", { kind: "momentum", momentum: 0.9, nesterov: false }, { kind: "momentum", momentum: 0.3, nesterov: true }],
  ] as const)("%s changed mid-run keeps the network, changes the updates, and its link replays the run exactly", (_name, before, after) => {
    const base = withOptimizer(defaultAppState().config, before);
    const changed = withOptimizer(base, after);
    const a = start(runState(base));
    const f0 = a.tick(50);
    const params50 = Array.from(f0.params);
    const history = a.configure(runState(changed));
    expect(history).toHaveLength(1);
    expect(history[0]!.until).toBe(50);
    expect(history[0]!.training.optimizer).toEqual(before);
    const fa = a.tick(50);
    const lossA = fa.metrics.trainLoss;

    // without the change the run goes elsewhere from the same step-50 network
    const plain = start(runState(base));
    expect(Array.from(plain.tick(50).params)).toEqual(params50);
    expect(plain.tick(50).metrics.trainLoss).not.toBe(lossA);

    // the URL of the changed run, decoded, replays it bit for bit
    const app = { ...defaultAppState(), config: changed, history };
    const decoded = decodeState(encodeState(app));
    expect(decoded.errors).toEqual([]);
    expect(decoded.state.config.training.optimizer).toEqual(after);
    const b = start(runState(decoded.state.config, decoded.state.history));
    const fb = b.tick(100);
    expect(fb.metrics.trainLoss).toBe(lossA);
    expect(Array.from(fb.params)).toEqual(Array.from(fa.params));
  });
});
