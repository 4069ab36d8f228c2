import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

export const APP_DIR = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const DIST = join(APP_DIR, "dist");
export const DOCS = join(APP_DIR, "docs");
export const ARTIFACTS = join(APP_DIR, "artifacts");

export { readReference } from "@backprop-lab/test-utils/reference";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** A static server for dist/ on 127.0.0.1 and a free port the OS picks. */
export async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(DIST, path === "/" ? "index.html" : path));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Debian's Chromium, headless, with a fresh profile (Playwright passes it as
 * --user-data-dir) that is removed on close.
 */
export async function launch(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "backprop-web-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    locale: "en-US",
    viewport: { width: 1280, height: 800 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Page errors and console errors, collected for the "no page errors" checks. */
export interface Problems {
  errors: string[];
}

/** A new tab at `url` with its errors collected; resolves once the first frame is drawn. */
export async function openPage(context: BrowserContext, url: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  // scripts run by tsx (pnpm bench, pnpm screenshots) compile the functions they hand to page.evaluate with
  // esbuild's keepNames, which calls a __name helper the page does not have; give it one (a string: not compiled)
  await page.addInitScript("globalThis.__name = globalThis.__name || ((f) => f);");
  const problems: Problems = { errors: [] };
  page.on("pageerror", (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  await waitForFrame(page);
  return { page, problems };
}

/** Waits until a frame of the current run is drawn (a training loss is shown). */
export async function waitForFrame(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid="train-loss"]')?.getAttribute("data-value");
    return v !== undefined && v !== null && v !== "";
  });
}

/** Presses Play, waits until the step counter reaches `step`, then pauses and waits for the pause to land. */
export async function playUntil(p: Page, step: number): Promise<void> {
  await p.getByTestId("play").click();
  await p.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= s, step, { timeout: 60_000 });
  await p.getByTestId("play").click();
  await p.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "false");
}

/**
 * The served app in a fresh Chromium for a script (screenshots, frame times): `page(hash, viewport)` opens a
 * tab; `close()` ends both. Builds dist/ first when it is stale, as the e2e suite does.
 */
export async function openApp(): Promise<{ page(hash?: string, viewport?: { width: number; height: number }): Promise<Page>; close(): Promise<void> }> {
  const { default: buildIfStale } = await import("./global-setup.js");
  await buildIfStale();
  const server = await serveDist();
  const browser = await launch();
  return {
    page: async (hash = "", viewport = { width: 1280, height: 800 }) => (await openPage(browser.context, server.url + hash, viewport)).page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * One suite's browser: serves dist/ and launches Chromium before the suite,
 * closes both after it, and after each test closes the pages that test
 * opened and fails it on any page error or console error among them.
 */
export function useApp(): {
  readonly context: BrowserContext;
  readonly url: string;
  /** Opens the app at `url + suffix` (a hash such as "#lang=es") and tracks the page for the after-test check. */
  open(suffix?: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: Problems }>;
} {
  let server: Awaited<ReturnType<typeof serveDist>> | undefined;
  let browser: Awaited<ReturnType<typeof launch>> | undefined;
  const opened: { page: Page; problems: Problems }[] = [];
  beforeAll(async () => {
    server = await serveDist();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    const errors = opened.flatMap((o) => o.problems.errors);
    for (const o of opened) await o.page.close();
    opened.length = 0;
    expect(errors).toEqual([]);
  });
  return {
    get context() {
      return browser!.context;
    },
    get url() {
      return server!.url;
    },
    async open(suffix = "", viewport) {
      const o = await openPage(browser!.context, server!.url + suffix, viewport);
      opened.push(o);
      return o;
    },
  };
}
