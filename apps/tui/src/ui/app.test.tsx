import { createTrainingRun } from "@backprop-lab/core";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDriver, type Driver } from "../driver.js";
import { formatCell, formatNumber } from "../format.js";
import { DEFAULT_PRESET, findPreset } from "../presets.js";
import { createSession, type Session } from "../session.js";
import { App } from "./app.js";

const ESC = "\u001B";
const keys = { down: `${ESC}[B`, right: `${ESC}[C`, enter: "\r", escape: ESC };
let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

function mount(options: { columns?: number; rows?: number; colorMode?: "truecolor" | "256" | "none"; lang?: "en" | "es"; paused?: boolean } = {}) {
  const session: Session = createSession({ document: findPreset(DEFAULT_PRESET)!.document, presetId: DEFAULT_PRESET });
  const driver: Driver = createDriver(session, { paused: options.paused ?? true });
  const columns = options.columns ?? 160;
  const tree = (
    <App session={session} driver={driver} lang={options.lang ?? "en"} colorMode={options.colorMode ?? "none"} size={{ columns, rows: options.rows ?? 48 }} />
  );
  const app = render(tree);
  // ink-testing-library's terminal is 100 columns wide; widen it to the size under test and lay out again
  Object.defineProperty(app.stdout, "columns", { get: () => columns });
  app.rerender(tree);
  cleanup.push(() => {
    driver.dispose();
    app.unmount();
  });
  const frame = () => app.lastFrame() ?? "";
  const press = async (input: string, until: (f: string) => boolean) => {
    // let React run the effects of the last frame (a new view subscribes to keys in one)
    await new Promise((resolve) => setImmediate(resolve));
    app.stdin.write(input);
    await vi.waitFor(() => expect(until(frame()), `after ${JSON.stringify(input)}:\n${frame()}`).toBe(true), { timeout: 10_000 });
  };
  return { session, driver, app, frame, press };
}

/** The numbers the dashboard should show after `steps` steps of the default run, straight from core. */
function reference(steps: number) {
  const run = createTrainingRun(findPreset(DEFAULT_PRESET)!.document);
  let last = null;
  for (let i = 0; i < steps; i++) last = { ...run.step() };
  return { run, last: last! };
}

describe("dashboard", () => {
  it("shows the course's three panels, the network and the diagnostics", () => {
    const { frame } = mount();
    const f = frame();
    expect(f.split("\n")[0]).toContain("backprop-lab │ Course network with biases │ step 0 │ 0 steps/s │ ⏸ paused");
    for (const text of ["accuracy  train", "decision boundary · course-xor", "loss — = data loss — + penalty —", "network 2-3-2 · sigmoid → sigmoid · biases on · 17 parameters", "diagnostics", "space pause · s step"]) {
      expect(f).toContain(text);
    }
    // the panels sit side by side on a wide terminal
    const titles = f.split("\n").find((l) => l.includes("decision boundary"))!;
    expect(titles.indexOf("accuracy")).toBeLessThan(titles.indexOf("decision boundary"));
    expect(titles.indexOf("decision boundary")).toBeLessThan(titles.indexOf("loss"));
    expect(f.split("\n").length).toBeLessThan(48);
    expect(f).not.toContain(ESC); // colour mode "none" writes no escape codes at all
  });

  it("s steps once and shows core's numbers; r resets to the identical run", async () => {
    const { frame, press } = mount();
    const one = reference(1).last;
    await press("s", (f) => f.includes("step 1 │"));
    expect(frame()).toContain(`loss ${formatNumber(one.loss)} = data loss ${formatNumber(one.dataLoss)} + penalty 0`);
    await press("s", (f) => f.includes("step 2 │"));
    await press("s", (f) => f.includes("step 3 │"));
    const three = frame().split("\n").find((l) => l.includes("loss "))!;
    expect(three).toContain(`loss ${formatNumber(reference(3).last.loss)} =`);
    await press("r", (f) => f.includes("step 0 │") && f.includes("reset: same seed, same run"));
    for (const n of [1, 2, 3]) await press("s", (f) => f.includes(`step ${n} │`));
    expect(frame().split("\n").find((l) => l.includes("loss "))).toBe(three);
  });

  it("space trains in the background and pauses again", async () => {
    const { frame, press, session } = mount();
    await press(" ", (f) => f.includes("▶ running") && !f.includes("step 0 │"));
    await press(" ", (f) => f.includes("⏸ paused"));
    const at = session.steps;
    expect(at).toBeGreaterThan(0);
    expect(frame()).toContain(`step ${at} │`);
  });

  it("+ and - move the learning rate, c and d switch clipping and decay", async () => {
    const { press } = mount();
    await press("-", (f) => f.includes("learning rate 1 ·") && f.includes("learning rate 1\n"));
    await press("+", (f) => f.includes("learning rate 3 ·"));
    await press("c", (f) => f.includes("clipping ≤ 1 (0)"));
    await press("d", (f) => f.includes("decay inverse-time"));
  });

  it("e explains the step the run takes next (run.explain()), and s takes exactly that step", async () => {
    const { press, frame, session } = mount({ rows: 120 });
    await press("e", (f) => f.includes("One step, explained"));
    const e = session.explain();
    const f = frame();
    expect(f).toContain("row 1 of 300 in the next batch");
    expect(f).toContain(`z₁ = x·W₁ + b₁ = [ ${e.layers[0]!.z[0]!.map((v) => formatCell(v)).join(" ")} ]`);
    expect(f).toContain(`∂L/∂a₂ = −(y − a₂)/n = [ ${e.layers[1]!.dL_da[0]!.map((v) => formatCell(v)).join(" ")} ]`);
    expect(f).toContain(`W₂ ← W₂ − η·∂L/∂W₂ = [ ${e.layers[1]!.W_next[0]!.map((v) => formatCell(v)).join(" ")} ]`);
    await press(keys.right, (f) => f.includes("row 2 of 300 in the next batch"));
    // the explanation's "after" is the run's next weights, bit for bit: s takes the step
    await press("s", (f) => f.includes("step 2 ·"));
    const net = session.run.net;
    const L2 = net.layers[1]!;
    expect(e.layers[1]!.W_next[0]).toEqual(Array.from(net.params.subarray(L2.wOffset, L2.wOffset + L2.nOut)));
    await press(keys.escape, (f) => f.includes("decision boundary"));
  });

  it("p lists the presets; Enter loads one", async () => {
    const { press, session } = mount();
    await press("p", (f) => f.includes("Presets") && f.includes("Course: 50 hidden neurons") && f.includes("Playground: spiral"));
    const ids = ["course-2-3-2-bias", "course-2-3-2-all"];
    await press(keys.down, (f) => f.includes(ids[1]!));
    await press(keys.enter, (f) => f.includes(`Course network, no biases, all points │`));
    expect(session.presetId).toBe("course-2-3-2-all");
    expect(session.document).toEqual(findPreset("course-2-3-2-all")!.document);
  });

  it("several arrow keys in one burst move the preset menu several rows", async () => {
    const { press, session } = mount();
    const { allPresets } = await import("../presets.js");
    const ids = allPresets().map((p) => p.id);
    await press("p", (f) => f.includes("Presets"));
    // one write holding three down arrows, as a terminal sends a held key or a fast typist
    // the highlighted preset's id is printed under the list
    await press(keys.down.repeat(3), (f) => f.split("\n").some((l) => l.trim().replace(/│/g, "").trim() === ids[3]));
    await press(keys.enter, () => session.presetId === ids[3]);
    expect(session.presetId).toBe(ids[3]);
  });

  it("f applies the diagnostics' suggested fix after a failure lab goes wrong; n draws a new seed", async () => {
    const { press, session, driver, frame } = mount();
    const lab = findPreset("exploding-learning-rate")!;
    const steps = lab.steps!;
    session.loadPreset(lab);
    session.advance(steps);
    driver.touch();
    // the lab's loss overflows before its last step: the run stops there, diverged
    expect(session.diverged).toBe(true);
    await vi.waitFor(() => expect(frame()).toContain(`step ${session.steps}/${steps}`));
    const fix = session.suggestedFix()!;
    expect(frame()).toContain(`f: ${fix.label.en}`);
    await press("f", (f) => f.includes(`fix applied: ${fix.label.en}`) && f.includes("step 0/"));
    expect(session.document.training.learningRate).toBeLessThan(lab.document.training.learningRate);
    // the fix applied from this face cures the run: the same steps now stay finite to the end
    session.advance(steps);
    expect(session.steps).toBe(steps);
    expect(session.diverged).toBe(false);
    expect(Number.isFinite(session.last!.loss)).toBe(true);
    expect(session.last!.loss).toBeLessThan(1.48);
    const seed = session.document.seed;
    await press("n", (f) => f.includes(`new seed ${session.document.seed}`));
    expect(session.document.seed).not.toBe(seed);
  });

  it("l switches to Spanish and ? shows the keys", async () => {
    const { press } = mount();
    await press("l", (f) => f.includes("exactitud") && f.includes("frontera de decisión") && f.includes("espacio pausa"));
    await press("?", (f) => f.includes("Teclas") && f.includes("reiniciar: repetir la misma corrida"));
    await press("x", (f) => f.includes("frontera de decisión"));
  });

  it("at step 0 shows the real weight norms and no made-up gradient; an exactly 120-column terminal gets the wide layout", () => {
    const { frame, session } = mount({ columns: 120, rows: 40 });
    const f = frame();
    const l1 = session.run.net.layers[0]!;
    let w2 = 0;
    for (let i = 0; i < l1.nIn * l1.nOut; i++) w2 += session.run.net.params[l1.wOffset + i]! ** 2;
    expect(f).toContain(`L1 2→3 sigmoid  |W| ${formatNumber(Math.sqrt(w2), 3)}  |∇| —`);
    expect(f).not.toContain("|W| 0 ");
    // wide: accuracy, boundary and loss side by side on one row
    const row = f.split("\n").find((l) => l.includes("accuracy  train"))!;
    expect(row).toContain("decision boundary");
    expect(row).toContain("loss — = data loss");
  });

  it("g runs a gradient check and shows its result; the course's L2 bug is named in the settings and fails it", async () => {
    const { press, session, frame } = mount();
    await press("g", (f) => f.includes("gradient check on 64 rows, 17 parameters"));
    const lab = findPreset("course-l2-bug")!;
    session.loadPreset(lab);
    await press("s", (f) => f.includes("l2 λ=1e-4 (course's buggy gradient λ·ΣW²)"));
    await press("g", (f) => f.includes("FAILS"));
    // the fix diagnostics suggests once the lab's loss spikes (102,700 steps in): the correct L2 gradient
    const { FAILURE_LABS } = await import("@backprop-lab/diagnostics");
    const { patchDocument } = await import("../session.js");
    session.setDocument(patchDocument(session.document, FAILURE_LABS.find((l) => l.id === "course-l2-bug")!.fix.patch));
    await press("s", (f) => f.includes("regularization l2 λ=1e-4 ·") && !f.includes("buggy"));
    await press("g", (f) => /gradient check on 50 rows, 200 parameters: .* passes/.test(f));
    // the header no longer claims the lab's title once the run is not the lab any more
    expect(frame().split("\n")[0]).toContain("backprop-lab │ custom │");
    session.loadPreset(findPreset("course-2-3-2")!);
    await press("s", (f) => f.split("\n")[0]!.includes(findPreset("course-2-3-2")!.title.en));
    session.setDocument({ ...session.document, network: { ...session.document.network, bias: true } });
    await press("s", (f) => f.split("\n")[0]!.includes("│ custom │") && f.includes("biases on"));
  });

  it("the findings panel scrolls with ↑/↓ and the explain view toggles 4 ↔ 12 decimals with x", async () => {
    const { press, session, frame } = mount({ columns: 80, rows: 24 });
    session.loadPreset(findPreset("exploding-learning-rate")!);
    session.advance(findPreset("exploding-learning-rate")!.steps!);
    await press("s", (f) => f.includes("lines 1-"));
    const first = frame();
    await press(keys.down, (f) => f.includes("lines 2-"));
    expect(frame()).not.toBe(first);
    await press("e", (f) => f.includes("4 decimals"));
    await press("x", (f) => f.includes("12 decimals"));
    const e = session.explain();
    expect(frame()).toContain(formatCell(e.layers[0]!.z[0]![0]!, 16, 12).trim());
    expect(formatCell(e.layers[0]!.z[0]![0]!, 16, 12).trim().length).toBeGreaterThan(12);
  });

  it("draws the boundary in colour when asked, and stacks the panels on small terminals", () => {
    const colour = mount({ colorMode: "truecolor" }).frame();
    expect(colour).toContain(`${ESC}[38;2;`);
    expect(colour).toContain("▀");
    expect(mount({ colorMode: "256" }).frame()).toContain(`${ESC}[48;5;`);
    const small = mount({ columns: 80, rows: 24 }).frame().split("\n");
    expect(small.length).toBeLessThanOrEqual(23);
    const boundaryRow = small.findIndex((l) => l.includes("decision boundary"));
    const lossRow = small.findIndex((l) => l.includes("loss — = data loss"));
    expect(lossRow).toBeGreaterThan(boundaryRow); // curves stacked beside the boundary
    const narrow = mount({ columns: 60, rows: 60 }).frame().split("\n");
    const rows = ["decision boundary", "accuracy  train", "loss — = data loss"].map((t) => narrow.findIndex((l) => l.includes(t)));
    expect(rows[0]).toBeLessThan(rows[1]!);
    expect(rows[1]).toBeLessThan(rows[2]!);
  });
});
