import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useApp } from "./harness.js";

// axe-core's browser bundle, injected into each page by Playwright
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const app = useApp();

async function page(hash = "", viewport = { width: 1280, height: 800 }): Promise<Page> {
  const o = await app.open(hash, viewport);
  return o.page;
}

/** axe-core's serious and critical violations on the page as it stands, as "rule: target" lines. */
async function axeProblems(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => "axe" in window))) await p.addScriptTag({ path: AXE });
  const violations = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) => v.targets.map((t) => `${v.id} (${v.impact}): ${t}`));
}

describe("accessibility (axe-core)", () => {
  for (const lang of ["en", "es"] as const) {
    it(`every tab and dialog has no serious or critical violation (${lang})`, async () => {
      const p = await page(`#lang=${lang}`);
      const found: Record<string, string[]> = {};
      for (const tab of ["diagnostics", "labs", "explainer", "data"]) {
        await p.getByTestId(`tab-${tab}`).click();
        if (tab === "labs") await p.locator('[data-testid^="lab-load-"]').first().click();
        found[`tab ${tab}`] = await axeProblems(p);
      }
      await p.locator(".seed .round.small").click();
      await p.getByTestId("shortcut-help").waitFor();
      found["shortcut help"] = await axeProblems(p);
      await p.keyboard.press("Escape");
      await p.getByTestId("shortcut-help").waitFor({ state: "detached" });
      await p.getByTestId("classroom-open").click();
      found["classroom dialog"] = await axeProblems(p);
      for (const [where, problems] of Object.entries(found)) expect(problems, where).toEqual([]);
    });
  }

  it("the scan can fail: an unnamed button is reported", async () => {
    const p = await page();
    await p.evaluate(() => document.querySelector("header")!.appendChild(document.createElement("button")));
    expect((await axeProblems(p)).some((v) => v.startsWith("button-name (critical)"))).toBe(true);
  });
});

describe("keyboard", () => {
  it("Space and Enter press the focused control; Space plays only when nothing is focused", async () => {
    const p = await page();
    const layers = async () => (await p.getByTestId("layer-count").textContent())!.trim();
    expect(await layers()).toBe("2 hidden layers");
    await p.getByRole("button", { name: "Add a hidden layer" }).focus();
    await p.keyboard.press(" ");
    await p.waitForFunction(() => document.querySelector('[data-testid="layer-count"]')?.textContent?.startsWith("3"));
    await p.keyboard.press("Enter");
    await p.waitForFunction(() => document.querySelector('[data-testid="layer-count"]')?.textContent?.startsWith("4"));
    expect(await p.getByTestId("play").getAttribute("data-playing")).toBe("false");
    // nothing focused: Space toggles training
    await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await p.keyboard.press(" ");
    await p.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "true");
    await p.keyboard.press(" ");
    await p.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "false");
  });

  it("every diagram link and unit is reachable by Tab, shows its weight and opens its editor", async () => {
    const p = await page();
    const focusables = await p.evaluate(() => {
      const links = [...document.querySelectorAll('[data-testid^="link-focus-"]')];
      const units = [...document.querySelectorAll('[data-testid^="thumb-"]')];
      return { links: links.length, linksTabbable: links.filter((e) => (e as SVGElement).tabIndex === 0).length, units: units.length, unitsTabbable: units.filter((e) => (e as HTMLElement).tabIndex === 0).length };
    });
    // 2 inputs → 4 → 2 → 1: 8 + 8 + 2 links, 2 + 4 + 2 + 1 units
    expect(focusables).toEqual({ links: 18, linksTabbable: 18, units: 9, unitsTabbable: 9 });
    // Tab from the unit before it reaches the first link
    await p.keyboard.press("Tab");
    const link = p.getByTestId("link-focus-0:0:0");
    await link.focus();
    await p.getByTestId("link-tip").waitFor();
    const tip = await p.getByTestId("link-tip").textContent();
    expect(tip).toMatch(/^weight from input x₁ to hidden layer 1, unit 1: −?\d\.\d{3}$/);
    expect(await link.getAttribute("aria-label")).toMatch(/^weight from input x₁ to hidden layer 1, unit 1: /);
    await p.keyboard.press("Enter");
    await p.getByTestId("weight-input").waitFor();
    await p.keyboard.press("Escape");
    // bias editors are named in words, the output's as the output layer
    expect(await p.getByTestId("bias-0-1").getAttribute("aria-label")).toBe("bias of hidden layer 1, unit 2");
    expect(await p.getByTestId("bias-2-0").getAttribute("aria-label")).toBe("bias of output layer, unit 1");
    // a unit focused from the keyboard: named, and its map enlarged
    await p.getByTestId("thumb-2").focus();
    expect(await p.getByTestId("thumb-2").getAttribute("aria-label")).toBe("hidden layer 1, unit 1");
    await p.locator(".focus canvas").waitFor();
  });

  it("the play button shows a visible focus ring", async () => {
    const p = await page();
    await p.keyboard.press("Tab");
    await p.getByTestId("play").focus();
    const ring = await p.getByTestId("play").evaluate((el) => {
      const s = getComputedStyle(el);
      return { visible: el.matches(":focus-visible"), style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor, shadow: s.boxShadow };
    });
    expect(ring).toEqual({ visible: true, style: "solid", width: "3px", color: "rgb(31, 111, 235)", shadow: "rgb(255, 255, 255) 0px 0px 0px 3px" });
  });
});

describe("numbers and labels", () => {
  it("menus label 10 as 10 and the URL agrees", async () => {
    const p = await page("#lang=es");
    const labels = await p.getByTestId("learning-rate").locator("option").allTextContents();
    expect(labels.at(-1)).toBe("10");
    expect(labels).toContain("0,03");
    await p.getByTestId("learning-rate").selectOption({ label: "10" });
    await p.waitForFunction(() => window.location.hash.includes("lr=10&") || window.location.hash.endsWith("lr=10"));
  });

  it("test metrics are \"—\" with the reason when there is no test set", async () => {
    const p = await page("#ratio=0");
    await p.waitForFunction(() => document.querySelector('[data-testid="test-loss"]')?.textContent?.trim() === "—");
    expect(await p.getByTestId("test-loss").getAttribute("title")).toBe("No test set: the ratio of training to test data is 100 %.");
    expect(await p.getByTestId("no-test-reason").textContent()).toBe("No test set: the ratio of training to test data is 100 %.");
    // a preset without a test set (the course's 2-3-2 run on all its points)
    await p.goto(app.url + "#ratio=0.5");
    await p.waitForFunction(() => document.querySelector('[data-testid="test-loss"]')?.textContent?.trim() !== "—");
    await p.getByTestId("preset").selectOption("course-2-3-2-all");
    await p.waitForFunction(() => document.querySelector('[data-testid="test-loss"]')?.textContent?.trim() === "—");
    expect(await p.getByTestId("no-test-reason").textContent()).toMatch(/^No test set: /);
    expect(await p.getByTestId("test-accuracy").textContent()).toBe("—");
  });

  it("the heatmap and the charts have text alternatives", async () => {
    const p = await page();
    await p.waitForFunction(() => (document.querySelector('[data-testid="heatmap-summary"]')?.textContent ?? "").includes("class by region"));
    expect(await p.getByTestId("heatmap-summary").textContent()).toMatch(/^Decision map: Training accuracy \d+(\.\d)?%, Test accuracy \d+(\.\d)?%; class by region: top left (orange|blue), /);
    await p.waitForFunction(() => (document.querySelector('[data-testid="loss-chart-summary"]')?.textContent ?? "").includes("latest values"));
    expect(await p.getByTestId("loss-chart-summary").textContent()).toMatch(/^Loss: latest values at step 0: Test loss \d\.\d{3}, Training loss \d\.\d{3}, learning rate 0\.0300\.$/);
  });

  it("screenshots at 1280×800 and 390×844 (for a person to look at)", async () => {
    for (const [w, h] of [[1280, 800], [390, 844]] as const) {
      const p = await page("#lang=es", { width: w, height: h });
      await p.screenshot({ path: join(tmpdir(), `backprop-web-${w}x${h}-es.png`) });
    }
  });
});
