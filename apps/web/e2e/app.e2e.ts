import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectClose } from "../test-support/expect-close.js";
import { playUntil, readReference, useApp, waitForFrame } from "./harness.js";

const app = useApp();

async function page(hash = "", viewport = { width: 1280, height: 800 }): Promise<Page> {
  const o = await app.open(hash, viewport);
  return o.page;
}

const stepCount = async (p: Page) => Number(await p.getByTestId("step-count").textContent());
const trainLoss = async (p: Page) => Number(await p.getByTestId("train-loss").getAttribute("data-value"));

/** Clicks Step n times, waiting for each frame. */
/** A point on a link's curve a fifth of the way along (away from the middle, where links cross), in page pixels. */
async function pointOnLink(p: Page, key: string): Promise<{ x: number; y: number }> {
  return p.getByTestId(`link-${key}`).evaluate((el: SVGPathElement) => {
    const pt = el.getPointAtLength(el.getTotalLength() * 0.2);
    const m = el.getScreenCTM()!;
    return { x: m.a * pt.x + m.c * pt.y + m.e, y: m.b * pt.x + m.d * pt.y + m.f };
  });
}

async function steps(p: Page, n: number): Promise<void> {
  const start = await stepCount(p);
  for (let i = 1; i <= n; i++) {
    await p.getByTestId("step").click();
    await p.waitForFunction((s) => document.querySelector('[data-testid="step-count"]')?.textContent === String(s), start + i);
  }
}

describe("the playground in Chromium", () => {
  it("starts, pauses and steps (buttons and keyboard)", async () => {
    const p = await page();
    expect(await stepCount(p)).toBe(0);
    await steps(p, 3);
    expect(await stepCount(p)).toBe(3);
    const before = await trainLoss(p);
    await p.getByTestId("play").click();
    await p.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= 200);
    await p.getByTestId("play").click();
    await p.waitForTimeout(200);
    const paused = await stepCount(p);
    await p.waitForTimeout(400);
    expect(await stepCount(p)).toBe(paused);
    // one epoch (25 batches of 10) per frame, as in the Playground
    expect((paused - 3) % 25).toBe(0);
    expect(await trainLoss(p)).toBeLessThan(before);

    await p.keyboard.press("s");
    await p.waitForFunction((s) => document.querySelector('[data-testid="step-count"]')?.textContent === String(s), paused + 1);
    await p.keyboard.press(" ");
    await p.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > s + 25, paused + 1);
    await p.keyboard.press(" ");
    await p.keyboard.press("?");
    await p.getByTestId("shortcut-help").waitFor();
    await p.keyboard.press("Escape");
    await p.getByTestId("shortcut-help").waitFor({ state: "detached" });
    // view and panel keys
    await p.keyboard.press("t");
    await p.waitForFunction(() => window.location.hash.includes("showTest=1"));
    await p.keyboard.press("d");
    await p.waitForFunction(() => window.location.hash.includes("discretize=1"));
    expect(await p.getByTestId("discretize").isChecked()).toBe(true);
    await p.keyboard.press("3");
    await p.getByTestId("explainer").waitFor();
    await p.keyboard.press("1");
    await p.getByTestId("diagnostics").waitFor();
    // reset replays the identical run from step 0
    await p.keyboard.press("r");
    await p.waitForFunction(() => document.querySelector('[data-testid="step-count"]')?.textContent === "0");
    await waitForFrame(p);
    await steps(p, 3);
    expect(await trainLoss(p)).toBe(before);
    // n: a new seed, a new run
    await p.keyboard.press("n");
    await p.waitForFunction(() => !window.location.hash.startsWith("#seed=1&"));
    await waitForFrame(p);
    expect(await p.getByTestId("seed").textContent()).not.toBe("1");
  });

  it("a link reproduces the run: same URL, same numbers", async () => {
    const a = await page("#seed=42&data=xor&noise=0.1&ratio=0.3&features=x1,x2,x1x2&hidden=3&act=relu&out=tanh&encoding=signed&lr=0.1&batch=5");
    await a.getByTestId("learning-rate").selectOption({ label: "0.3" });
    await a.waitForFunction(() => window.location.hash.includes("lr=0.3"));
    await steps(a, 25);
    const url = a.url();
    const lossA = await trainLoss(a);
    const testA = await a.getByTestId("test-loss").getAttribute("data-value");
    expect(url).toContain("seed=42");
    expect(url).toContain("features=x1,x2,x1x2");

    const b = await page(url.slice(url.indexOf("#")));
    expect(await b.getByTestId("seed").textContent()).toBe("42");
    expect(await b.getByTestId("learning-rate").evaluate((el: HTMLSelectElement) => el.selectedOptions[0]!.textContent)).toBe("0.3");
    await steps(b, 25);
    expect(await trainLoss(b)).toBe(lossA);
    expect(await b.getByTestId("test-loss").getAttribute("data-value")).toBe(testA);

    // "new seed" starts another run; its link reproduces that one
    await b.getByTestId("new-seed").click();
    await b.waitForFunction(() => !window.location.hash.includes("seed=42&"));
    await waitForFrame(b);
    await steps(b, 25);
    expect(await trainLoss(b)).not.toBe(lossA);
  });

  it("a setting changed mid-run keeps the network, and the link replays the change at its step", async () => {
    const a = await page("#seed=5&data=gauss&noise=0.3&hidden=3&lr=0.01&batch=10");
    await steps(a, 12);
    await a.getByTestId("learning-rate").selectOption({ label: "0.3" });
    await a.waitForFunction(() => decodeURIComponent(window.location.hash).includes('"until":12'));
    expect(await stepCount(a)).toBe(12);
    await steps(a, 13);
    const loss = await trainLoss(a);
    const url = a.url();
    const b = await page(url.slice(url.indexOf("#")));
    await steps(b, 25);
    expect(await trainLoss(b)).toBe(loss);
    // Reset replays the same: the change happens again at step 12
    await b.getByTestId("reset").click();
    await b.waitForFunction(() => document.querySelector('[data-testid="step-count"]')?.textContent === "0");
    await waitForFrame(b);
    await steps(b, 25);
    expect(await trainLoss(b)).toBe(loss);
  });

  it("switches language: labels, number format and the URL", async () => {
    const p = await page();
    await steps(p, 1);
    expect(await p.getByTestId("tab-diagnostics").textContent()).toBe("Diagnostics");
    expect(await p.getByTestId("train-loss").textContent()).toMatch(/^\d\.\d{3}$/);
    await p.getByTestId("lang-es").click();
    expect(await p.getByTestId("tab-diagnostics").textContent()).toBe("Diagnóstico");
    expect(await p.getByTestId("play").getAttribute("aria-label")).toBe("Iniciar");
    expect(await p.getByTestId("train-loss").textContent()).toMatch(/^\d,\d{3}$/);
    expect(await p.evaluate(() => document.documentElement.lang)).toBe("es");
    await p.waitForFunction(() => window.location.hash.includes("lang=es"));
    await p.reload();
    await waitForFrame(p);
    expect(await p.getByTestId("tab-labs").textContent()).toBe("Laboratorios de fallos");
    await p.keyboard.press("l");
    expect(await p.getByTestId("tab-labs").textContent()).toBe("Failure labs");
  });

  it("a finding's one-click fix turns a diverging run into a healthy one", async () => {
    // relu layers on a linear output at learning rate 3 overflow within 20 epochs
    const p = await page("#seed=1&data=reg-plane&hidden=8,8&act=relu&out=linear&lr=3&batch=10&ratio=0.5");
    await p.getByTestId("play").click();
    await p.getByTestId("diverged").waitFor({ timeout: 60_000 });
    await p.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "false");
    const fix = p.getByTestId("fix-non-finite");
    await fix.waitFor();
    expect(await fix.textContent()).toMatch(/3 → /);
    await fix.click();
    await p.waitForFunction(() => !window.location.hash.includes("lr=3&"));
    await waitForFrame(p);
    await playUntil(p, 1500);
    expect(Number.isFinite(await trainLoss(p))).toBe(true);
    expect(await p.getByTestId("diverged").count()).toBe(0);
  });

  it("loads a failure lab, shows its failure, and its fix clears it", async () => {
    const p = await page("#panel=labs");
    const labs = p.locator('[data-testid^="lab-load-"]');
    expect(await labs.count()).toBeGreaterThanOrEqual(3);
    const card = p.getByTestId("lab-vanishing-sigmoid");
    const labSteps = Number(await card.getAttribute("data-steps"));
    const expected = (await card.getAttribute("data-expected"))!.split(" ");
    await p.getByTestId("lab-load-vanishing-sigmoid").click();
    await p.waitForFunction(() => window.location.hash.includes("lab=vanishing-sigmoid") && window.location.hash.includes("act=sigmoid"));
    await waitForFrame(p);
    await playUntil(p, labSteps);
    for (const code of expected) expect(await p.getByTestId(`lab-expect-${code}`).getAttribute("data-seen"), code).toBe("true");
    const lossBroken = await trainLoss(p);

    await p.getByTestId("lab-fix-vanishing-sigmoid").click();
    await p.waitForFunction(() => window.location.hash.includes("act=tanh"));
    await waitForFrame(p);
    await playUntil(p, labSteps);
    for (const code of expected) expect(await p.getByTestId(`lab-expect-${code}`).getAttribute("data-seen"), code).toBe("false");
    expect(await trainLoss(p)).toBeLessThan(lossBroken);
  });

  it("the explainer shows the course's worked example with the golden numbers and flags its misprints", async () => {
    const ref = readReference("seed-worked-example.json");
    const p = await page("#panel=explainer");
    await p.getByTestId("explainer").waitFor();
    const cells = await p.locator("[data-key]").evaluateAll((els) =>
      els.map((el) => ({ key: el.getAttribute("data-key")!, i: Number(el.getAttribute("data-i") ?? 0), j: Number(el.getAttribute("data-j") ?? 0), value: Number(el.getAttribute("data-value")), text: el.textContent })),
    );
    const matrix = (key: string) => {
      const mine = cells.filter((c) => c.key === key);
      expect(mine.length, `the explainer shows ${key}`).toBeGreaterThan(0);
      const rows = Math.max(...mine.map((c) => c.i)) + 1;
      const cols = Math.max(...mine.map((c) => c.j)) + 1;
      const m = Array.from({ length: rows }, () => new Array<number>(cols).fill(Number.NaN));
      for (const c of mine) m[c.i]![c.j] = c.value;
      return m;
    };
    const tol = ref.tolerance.expected_abs as number;
    expectClose(matrix("X"), ref.inputs.X, 0, "X");
    expectClose(matrix("W1"), ref.inputs.W1, 0, "W1");
    expectClose(matrix("W2"), ref.inputs.W2, 0, "W2");
    for (const [key, expected] of Object.entries(ref.expected)) {
      const shown = typeof expected === "number" ? matrix(key)[0]![0] : matrix(key);
      expectClose(shown, expected, tol, key);
    }
    // printed like the course, 8 decimals
    expect(cells.find((c) => c.key === "z1" && c.i === 0 && c.j === 0)!.text).toBe("−1.40982136");
    for (const erratum of ref.article_errata as { key: string; printed: number[][] }[]) {
      const flag = p.locator(`[data-misprint="${erratum.key}"]`);
      expect(await flag.count(), `misprint ${erratum.key} is flagged`).toBe(1);
      expect(await flag.textContent()).toContain(erratum.printed[0]![0]!.toFixed(8).replace("-", "−"));
    }
    // Spanish numbers, same values
    await p.getByTestId("lang-es").click();
    await p.waitForFunction(() => document.querySelector('[data-key="z1"]')?.textContent === "−1,40982136");
    // the same walkthrough for the current network (2-4-2-1 with biases): the step the run takes next, on its next batch of 10
    await p.getByTestId("explain-current").check();
    await p.waitForFunction(() => document.querySelectorAll('[data-matrix="z1"] td').length === 10 * 4 && document.querySelector('[data-matrix="b1"]') !== null);
    expect(await p.getByTestId("explain-summary").getAttribute("data-optimizer")).toBe("sgd");
    expect(await p.locator("[data-misprint]").count()).toBe(0);
  });

  it("data export → import and model export → import round-trip", async () => {
    const p = await page("#seed=3&data=moons&noise=0.2&ratio=0.4&panel=data");
    const save = async (testId: string): Promise<{ text: string; path: string }> => {
      const [download] = await Promise.all([p.waitForEvent("download"), p.getByTestId(testId).click()]);
      const path = await download.path();
      return { text: readFileSync(path, "utf8"), path };
    };
    const rows = (csv: string) => csv.trim().split("\n").slice(1).sort();
    const csv = await save("export-csv");
    expect(csv.text.split("\n")[0]).toBe("x1,x2,label");
    expect(rows(csv.text)).toHaveLength(500);
    await p.getByTestId("import-data").setInputFiles({ name: "points.csv", mimeType: "text/csv", buffer: Buffer.from(csv.text) });
    await p.waitForFunction(() => window.location.hash.includes("data=inline"));
    await waitForFrame(p);
    const again = await save("export-csv");
    expect(rows(again.text)).toEqual(rows(csv.text));
    const json = await save("export-json");
    await p.getByTestId("import-data").setInputFiles({ name: "points.json", mimeType: "application/json", buffer: Buffer.from(json.text) });
    await waitForFrame(p);
    expect(rows((await save("export-csv")).text)).toEqual(rows(csv.text));

    await steps(p, 20);
    const model = await save("export-model");
    const lossAtExport = await trainLoss(p);
    expect(JSON.parse(model.text).format).toBe("backprop-lab/mlp");
    await steps(p, 20);
    expect(await trainLoss(p)).not.toBe(lossAtExport);
    await p.getByTestId("import-model").setInputFiles(model.path);
    await p.waitForFunction(() => window.location.hash.includes("edits="));
    await p.waitForFunction((l) => document.querySelector('[data-testid="train-loss"]')?.getAttribute("data-value") === String(l), lossAtExport);
    expect((await save("export-model")).text).toBe(model.text);

    await p.getByTestId("import-model").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "something else"}') });
    await p.getByTestId("io-error").waitFor();
  });

  it("controls reshape the run: data set, features, layers, neurons, activation, regenerate", async () => {
    const p = await page();
    const thumbs = () => p.locator('[data-testid^="thumb-"]').count();
    // the diagram follows the worker's new run a moment after the URL changes: wait for the count, then check it
    const thumbsBecome = async (n: number) => {
      await p.waitForFunction((k) => document.querySelectorAll('[data-testid^="thumb-"]').length === k, n).catch(() => undefined);
      expect(await thumbs()).toBe(n);
    };
    expect(await thumbs()).toBe(2 + 4 + 2 + 1);
    await p.getByTestId("dataset-spiral3").click();
    await p.waitForFunction(() => window.location.hash.includes("data=spiral3") && window.location.hash.includes("out=softmax"));
    await waitForFrame(p);
    await thumbsBecome(2 + 4 + 2 + 3);
    await p.getByTestId("feature-x1sq").click();
    await p.getByRole("button", { name: "Add a hidden layer" }).click();
    await p.getByRole("button", { name: "Add a neuron" }).first().click();
    await p.waitForFunction(() => window.location.hash.includes("hidden=5,2,2") && window.location.hash.includes("features=x1,x2,x1sq"));
    await waitForFrame(p);
    await thumbsBecome(3 + 5 + 2 + 2 + 3);
    expect(await p.getByTestId("layer-count").textContent()).toBe("3 hidden layers");
    await p.getByTestId("activation").selectOption({ label: "ReLU" });
    await p.waitForFunction(() => window.location.hash.includes("act=relu"));
    await p.getByTestId("schedule").selectOption({ label: "Step decay" });
    await p.getByTestId("schedule-every").fill("100");
    await p.getByTestId("schedule-every").press("Enter");
    await p.waitForFunction(() => window.location.hash.includes("sched=step:every=100:factor=0.5"));
    await p.getByTestId("optimizer").selectOption({ label: "Adam" });
    await p.getByTestId("clipping").selectOption({ index: 3 });
    await p.waitForFunction(() => window.location.hash.includes("opt=adam") && window.location.hash.includes("clip=1&"));
    await p.getByTestId("dataset-reg-gauss").click();
    await p.waitForFunction(() => window.location.hash.includes("data=reg-gauss") && window.location.hash.includes("out=linear"));
    await waitForFrame(p);
    expect(await p.getByTestId("train-accuracy").count()).toBe(0);
    await p.getByTestId("regenerate").click();
    await p.waitForFunction(() => window.location.hash.includes("dataSeed="));
    await waitForFrame(p);
    await steps(p, 2);
    expect(Number.isFinite(await trainLoss(p))).toBe(true);
  });

  it("a click on the plot adds a training point (shift: the other class)", async () => {
    const p = await page("#panel=data");
    const box = (await p.getByTestId("points").boundingBox())!;
    await p.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
    await p.waitForFunction(() => window.location.hash.includes("data=inline") && window.location.hash.includes("trainRows=251"));
    await waitForFrame(p);
    await p.keyboard.down("Shift");
    await p.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
    await p.keyboard.up("Shift");
    await p.waitForFunction(() => window.location.hash.includes("trainRows=252"));
    await waitForFrame(p);
    const [download] = await Promise.all([p.waitForEvent("download"), p.getByTestId("export-csv").click()]);
    const lines = readFileSync(await download.path(), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1 + 502);
    // train rows come first: the clicked points are rows 251 and 252, near (3, 3) → class 1 and (−3, −3) → class 0
    const row = (i: number) => lines[i]!.split(",").map(Number);
    expectClose(row(251), [3, 3, 1], 0.05);
    // the second click maps through the plot's new domain (the bounding box of the inline points, which depends on the seeded data)
    expect(row(252)[2]).toBe(0);
    expect(row(252)[0]!).toBeLessThan(-2.5);
    expect(row(252)[1]!).toBeLessThan(-2.5);
  });

  it("edits a weight by clicking its link, and the link replays the edit", async () => {
    const p = await page();
    await steps(p, 2);
    // click a point on the curve near its start (the middle may be where links cross)
    const at = await pointOnLink(p, "1:0:1");
    await p.mouse.click(at.x, at.y);
    await p.getByTestId("weight-input").fill("2.5");
    await p.getByTestId("weight-input").press("Enter");
    await p.waitForFunction(() => window.location.hash.includes("edits=2_1_0_1_2.5"));
    await steps(p, 5);
    const loss = await trainLoss(p);
    const url = p.url();
    const q = await page(url.slice(url.indexOf("#")));
    await steps(q, 7);
    expect(await trainLoss(q)).toBe(loss);
  });

  it("draws the links on the diagram's opaque canvas in their weights' colours, and darkens a hovered link", async () => {
    const p = await page();
    await steps(p, 2);
    // a point on link 1:0:1 near its start, in page and in canvas pixels
    const at = await pointOnLink(p, "1:0:1");
    const pixel = () =>
      p.getByTestId("units").evaluate((c: HTMLCanvasElement, q: { x: number; y: number }) => {
        const r = c.getBoundingClientRect();
        const s = c.width / r.width;
        const d = c.getContext("2d")!.getImageData(Math.floor((q.x - r.left) * s), Math.floor((q.y - r.top) * s), 1, 1).data;
        return [d[0]!, d[1]!, d[2]!, d[3]!];
      }, at);
    const background = await p.getByTestId("units").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(1, 1, 1, 1).data; // the corner left of the first unit: no link there
      return [d[0]!, d[1]!, d[2]!];
    });
    // the links worker's bitmap arrives a moment after the first frame
    let before = await pixel();
    for (let i = 0; i < 40 && before.slice(0, 3).join() === background.join(); i++) {
      await p.waitForTimeout(50);
      before = await pixel();
    }
    expect(before[3]).toBe(255);
    expect(before.slice(0, 3)).not.toEqual(background);
    await p.mouse.move(at.x, at.y);
    let after = await pixel();
    for (let i = 0; i < 40 && after[0]! + after[1]! + after[2]! >= before[0]! + before[1]! + before[2]!; i++) {
      await p.waitForTimeout(50);
      after = await pixel();
    }
    expect(after[0]! + after[1]! + after[2]!).toBeLessThan(before[0]! + before[1]! + before[2]! - 20);
    await p.mouse.move(0, 0);
  });

  it("draws the decision boundary as a line over the heatmap, and the toggle removes it", async () => {
    const p = await page("#seed=1&data=circle&noise=0&hidden=4,2&act=tanh&out=tanh&encoding=signed&lr=0.03&batch=10");
    const inked = () =>
      p.getByTestId("boundary").evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && data[i]! < 80 && data[i + 1]! < 80 && data[i + 2]! < 80) dark++;
        return { dark, width: c.width, height: c.height, client: c.clientWidth };
      });
    await playUntil(p, 750);
    const on = await inked();
    // drawn at the screen's resolution, a closed dark curve of many pixels around the inner class
    expect(on.width).toBe(Math.round(on.client * (await p.evaluate(() => window.devicePixelRatio))));
    expect(on.dark).toBeGreaterThan(200);
    expect(await p.getByTestId("show-boundary").isChecked()).toBe(true);
    expect(p.url()).toContain("&boundary=1&");

    await p.getByTestId("show-boundary").uncheck();
    await p.waitForFunction(() => window.location.hash.includes("&boundary=0&"));
    expect(await p.getByTestId("boundary").count()).toBe(0);
    await steps(p, 2);
    expect(await p.getByTestId("boundary").count()).toBe(0);
    // a link with the boundary off opens without it
    const url = p.url();
    const q = await page(url.slice(url.indexOf("#")));
    expect(await q.getByTestId("boundary").count()).toBe(0);
    expect(await q.getByTestId("show-boundary").isChecked()).toBe(false);

    await p.getByTestId("show-boundary").check();
    await p.getByTestId("boundary").waitFor();
    await p.waitForFunction(() => window.location.hash.includes("&boundary=1&"));
    await steps(p, 1);
    expect((await inked()).dark).toBeGreaterThan(200);
    // the B key toggles it too
    await p.locator("body").press("b");
    await p.waitForFunction(() => window.location.hash.includes("&boundary=0&"));
    expect(await p.getByTestId("boundary").count()).toBe(0);
  });

  it("a classroom link hides the controls it names; unknown names are reported", async () => {
    const p = await page("#seed=2&data=xor&hidden=4&lr=0.03&batch=10&hide=learningRate,optimizer,schedule,data,layers,features,weights,labs,explainer,language");
    for (const id of ["learning-rate", "optimizer", "schedule", "dataset-xor", "noise", "batch", "regenerate", "preset", "tab-labs", "tab-explainer", "lang-es"]) {
      expect(await p.getByTestId(id).count(), id).toBe(0);
    }
    // what the link leaves alone is still there
    for (const id of ["activation", "regularization", "clipping", "show-test", "show-boundary", "tab-diagnostics", "tab-data", "new-seed", "classroom-open", "play", "step", "reset"]) {
      expect(await p.getByTestId(id).count(), id).toBe(1);
    }
    await p.getByTestId("hidden-note").waitFor();
    // the network diagram stays, its editing is off: no +/− buttons rendered, features and biases are not buttons, clicks change nothing
    expect(await p.getByRole("button", { name: "Add a hidden layer" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "Add a neuron" }).count()).toBe(0);
    expect(await p.getByTestId("bias-0-0").evaluate((el) => el.tagName)).toBe("SPAN");
    await p.getByTestId("feature-x1sq").click({ force: true });
    await p.getByTestId("link-0:0:0").click({ force: true });
    expect(await p.locator("form.weight-editor").count()).toBe(0);
    await p.keyboard.press("l");
    await p.keyboard.press("2");
    await steps(p, 3);
    expect(p.url()).toContain("features=x1,x2&");
    expect(p.url()).toContain("lang=en");
    expect(await p.getByTestId("diagnostics").count()).toBe(1);
    // the app writes the list back in its canonical order
    expect(p.url()).toContain("&hide=learningRate,optimizer,schedule,data,features,layers,weights,labs,explainer,language");

    const bad = await page("#seed=2&hide=learningRate,warpDrive");
    const banner = bad.getByTestId("url-errors");
    await banner.waitFor();
    expect(await banner.textContent()).toContain('hide: unknown control "warpDrive"');
    expect(await bad.getByTestId("learning-rate").count()).toBe(0);
    expect(await bad.getByTestId("optimizer").count()).toBe(1);
  });

  it("the classroom dialog makes such a link, and its preview opens the same run without those controls", async () => {
    const p = await page("#seed=9&data=gauss&noise=0.2&hidden=3&lr=0.1&batch=10");
    await steps(p, 4);
    await p.getByTestId("classroom-open").click();
    await p.getByTestId("classroom-dialog").waitFor();
    await p.getByTestId("hide-learningRate").check();
    await p.getByTestId("hide-labs").check();
    await p.getByTestId("hide-dataModel").check();
    await p.getByTestId("hide-layers").check();
    await p.getByTestId("hide-labs").uncheck();
    await p.getByTestId("hide-labs").check();
    const link = await p.getByTestId("classroom-link").inputValue();
    expect(link.startsWith(app.url + "#seed=9&")).toBe(true);
    expect(link).toContain("&hide=learningRate,layers,labs,dataModel");
    expect(await p.getByTestId("classroom-preview").getAttribute("href")).toBe(link);
    // the page itself keeps its controls until the link is opened
    expect(await p.getByTestId("learning-rate").count()).toBe(1);
    expect(p.url()).not.toContain("hide=");

    const [preview] = await Promise.all([app.context.waitForEvent("page"), p.getByTestId("classroom-preview").click()]);
    const problems: string[] = [];
    preview.on("pageerror", (e) => problems.push(e.message));
    await waitForFrame(preview);
    for (const id of ["learning-rate", "tab-labs", "tab-data"]) expect(await preview.getByTestId(id).count(), id).toBe(0);
    expect(await preview.getByTestId("optimizer").count()).toBe(1);
    expect(await preview.getByTestId("seed").textContent()).toBe("9");
    // the same run: the same numbers after the same steps
    const lossHere = await trainLoss(p);
    await steps(preview, 4);
    expect(await trainLoss(preview)).toBe(lossHere);
    await preview.close();
    expect(problems).toEqual([]);

    await p.keyboard.press("Escape");
    await p.getByTestId("classroom-dialog").waitFor({ state: "detached" });
  });

  it("edits optimizer parameters live; a bad value is named, not applied; the link replays the run", async () => {
    const a = await page("#seed=5&data=gauss&noise=0.3&hidden=3&lr=0.01&batch=10");
    expect(await a.getByTestId("optimizer-beta1").count()).toBe(0);
    await a.getByTestId("optimizer").selectOption({ label: "Adam" });
    await a.waitForFunction(() => window.location.hash.includes("opt=adam:beta1=0.9:beta2=0.999:epsilon=1e-8&"));
    expect(await a.getByTestId("optimizer-beta1").inputValue()).toBe("0.9");
    await steps(a, 5);
    await a.getByTestId("optimizer-beta1").fill("0.5");
    await a.getByTestId("optimizer-beta1").press("Enter");
    await a.waitForFunction(() => window.location.hash.includes("opt=adam:beta1=0.5:") && decodeURIComponent(window.location.hash).includes('"until":5'));
    await a.getByTestId("optimizer-beta2").fill("1.5");
    await a.getByTestId("optimizer-beta2").press("Enter");
    const error = a.getByTestId("optimizer-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("β₂: 1.5 is out of range");
    expect(await a.getByTestId("optimizer-beta2").inputValue()).toBe("0.999");
    expect(a.url()).toContain("beta2=0.999:");
    await steps(a, 10);
    const lossA = await trainLoss(a);
    const urlA = a.url();

    const b = await page(urlA.slice(urlA.indexOf("#")));
    expect(await b.getByTestId("optimizer-beta1").inputValue()).toBe("0.5");
    await steps(b, 15);
    expect(await trainLoss(b)).toBe(lossA);

    // momentum: its own fields, Spanish labels, Nesterov
    await b.getByTestId("optimizer").selectOption({ label: "Momentum" });
    await b.waitForFunction(() => window.location.hash.includes("opt=momentum:momentum=0.9:nesterov=false&"));
    await b.getByTestId("lang-es").click();
    expect(await b.locator("label", { has: b.getByTestId("optimizer-momentum") }).textContent()).toContain("momento μ");
    await b.getByTestId("optimizer-momentum").fill("0.5");
    await b.getByTestId("optimizer-momentum").press("Enter");
    await b.getByTestId("optimizer-nesterov").check();
    await b.waitForFunction(() => window.location.hash.includes("opt=momentum:momentum=0.5:nesterov=true&"));
    await steps(b, 10);
    const lossB = await trainLoss(b);
    expect(lossB).not.toBe(lossA);
    const urlB = b.url();
    const c = await page(urlB.slice(urlB.indexOf("#")));
    await steps(c, 25);
    expect(await trainLoss(c)).toBe(lossB);
  });
});
