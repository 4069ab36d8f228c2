import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DATASET_LABELS, MESSAGES, OPTION_LABELS } from "../src/i18n.js";
import { useApp } from "./harness.js";

const app = useApp();

/** English strings that must not appear on a Spanish page: catalogue entries that differ from their Spanish text. */
const SPANISH = new Set([...Object.values(MESSAGES.es), ...Object.values(OPTION_LABELS.es), ...Object.values(DATASET_LABELS.es)]);
const ENGLISH = [...Object.values(MESSAGES.en), ...Object.values(OPTION_LABELS.en), ...Object.values(DATASET_LABELS.en)].filter((s) => !SPANISH.has(s) && /[a-z]{3}/.test(s));
/** Words that look like identifiers but are names: the product, a library. */
const ALLOWED = new Set(["backprop-lab", "scikit-learn"]);

/** Every text a reader meets: text nodes, and the titles, labels and placeholders of elements. */
async function texts(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("script, style")) continue;
      const t = (n.textContent ?? "").trim();
      if (t) out.push(t);
    }
    for (const el of document.querySelectorAll("[title], [aria-label], [placeholder]")) {
      for (const a of ["title", "aria-label", "placeholder"]) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  });
}

/** What on the page is English or identifier-like, with where it was seen. */
async function leftovers(p: Page, where: string): Promise<string[]> {
  const problems: string[] = [];
  for (const text of await texts(p)) {
    for (const e of ENGLISH) if (text === e || (e.length >= 14 && text.includes(e))) problems.push(`${where}: English "${e}" in "${text}"`);
    for (const m of text.matchAll(/(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w/-])/g)) if (!ALLOWED.has(m[0])) problems.push(`${where}: identifier "${m[0]}" in "${text}"`);
    for (const m of text.matchAll(/(?<![\w/])[a-z]+[A-Z][A-Za-z]*\b/g)) problems.push(`${where}: camelCase "${m[0]}" in "${text}"`);
    if (/\bInfinity\b/.test(text)) problems.push(`${where}: "Infinity" in "${text}"`);
    for (const m of text.matchAll(/(?<![\w.])\d+\.\d+/g)) problems.push(`${where}: decimal point "${m[0]}" in "${text}"`);
  }
  return [...new Set(problems)];
}

async function waitSteps(p: Page, n: number, timeout = 60_000): Promise<void> {
  await p.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent?.replace(/\D/g, "")) >= s, n, { timeout });
}

describe("Spanish everywhere", () => {
  it("the page, every tab and dialog, every lab with its findings and fixes, in Spanish only", async () => {
    const o = await app.open("#lang=es");
    const p = o.page;
    const found: string[] = [];
    found.push(...(await leftovers(p, "opening")));
    for (const tab of ["diagnostics", "explainer", "data"]) {
      await p.getByTestId(`tab-${tab}`).click();
      if (tab === "explainer") {
        await p.getByTestId("explain-current").click();
        await p.waitForTimeout(300);
      }
      found.push(...(await leftovers(p, `tab ${tab}`)));
    }
    await p.keyboard.press("?");
    await p.getByTestId("shortcut-help").waitFor();
    found.push(...(await leftovers(p, "shortcut help")));
    await p.keyboard.press("Escape");
    await p.getByTestId("classroom-open").click();
    found.push(...(await leftovers(p, "classroom dialog")));
    await p.keyboard.press("Escape");
    await p.getByTestId("classroom").waitFor({ state: "detached" }).catch(() => undefined);
    // every option of every menu
    for (const menu of ["learning-rate", "activation", "regularization", "regularization-rate", "optimizer", "schedule", "clipping", "init", "preset"]) {
      const options = await p.getByTestId(menu).locator("option").allTextContents();
      for (const text of options) {
        for (const e of ENGLISH) if (text === e) found.push(`menu ${menu}: English "${e}"`);
        if (/(?<![\w.])\d+\.\d+/.test(text)) found.push(`menu ${menu}: decimal point in "${text}"`);
        for (const m of text.matchAll(/(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w/-])/g)) found.push(`menu ${menu}: identifier "${m[0]}"`);
      }
    }
    // every failure lab: load it, train it until its findings show (or its step budget), read them, apply each fix
    await p.getByTestId("tab-labs").click();
    const labs = await p.locator('[data-testid^="lab-load-"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!.slice("lab-load-".length)));
    expect(labs.length).toBeGreaterThanOrEqual(6);
    for (const id of labs) {
      await p.getByTestId(`lab-load-${id}`).click();
      const steps = Number(await p.getByTestId(`lab-${id}`).getAttribute("data-steps"));
      found.push(...(await leftovers(p, `lab ${id}`)));
      // at most 3000 steps here: the long L2-bug lab is walked through by its own test
      await p.getByTestId("run-to").fill(String(Math.min(steps, 3000)));
      await p.getByTestId("run-to-go").click();
      // run-to pauses at the step, or earlier where the run stops at an overflow (no guard)
      await p.waitForFunction(
        (n) =>
          Number(document.querySelector('[data-testid="step-count"]')?.textContent?.replace(/\D/g, "")) >= n ||
          (document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "false" && Number(document.querySelector('[data-testid="step-count"]')?.textContent?.replace(/\D/g, "")) > 0),
        Math.min(steps, 3000),
        { timeout: 90_000 },
      );
      found.push(...(await leftovers(p, `lab ${id} after training`)));
      await p.getByTestId("tab-diagnostics").click();
      found.push(...(await leftovers(p, `lab ${id} findings`)));
      const fixes = await p.locator('[data-testid^="fix-"]').count();
      if (fixes > 0) {
        await p.locator('[data-testid^="fix-"]').first().click();
        await waitSteps(p, 0);
        found.push(...(await leftovers(p, `lab ${id} after its finding's fix`)));
      }
      await p.getByTestId("tab-labs").click();
      await p.getByTestId(`lab-load-${id}`).click();
      await p.getByTestId(`lab-fix-${id}`).waitFor();
      found.push(...(await leftovers(p, `lab ${id} fix`)));
      await p.getByTestId(`lab-fix-${id}`).click();
      found.push(...(await leftovers(p, `lab ${id} fixed`)));
    }
    expect(found).toEqual([]);
  });
});
