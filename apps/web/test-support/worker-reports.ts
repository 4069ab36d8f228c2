import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import type { Explanation } from "@backprop-lab/core";
import type { ReportRow } from "../src/worker/protocol.js";

/**
 * The web face's reports hook, for cross-face tests (see the README's
 * "Reports hook"): in a page served from the built `dist/`, it starts the
 * training worker the app ships (its own module, `assets/training.worker-*.js`),
 * posts `{ type: "reports", document, steps, explainAt }` and returns the
 * worker's answer: the run's reports at those steps and `run.explain()`,
 * computed by the browser's engine and passed through structured clone
 * unchanged (doubles keep every bit).
 */
export interface WorkerReports {
  reports: ReportRow[];
  explanation: Explanation;
  explainedAt: number;
}

const DIST = resolve(fileURLToPath(new URL("../dist", import.meta.url)));

/** The training worker's file in dist/assets (Vite names it training.worker-<hash>.js). */
export function trainingWorkerAsset(dist = DIST): string {
  const name = readdirSync(join(dist, "assets")).find((f) => /^training\.worker-[\w-]+\.js$/.test(f));
  if (!name) throw new Error(`no training worker in ${join(dist, "assets")}: build the app first (pnpm --filter @backprop-lab/web build)`);
  return `assets/${name}`;
}

/**
 * Runs `document` in the page's browser through the training worker and
 * returns its reports at `steps` (ascending, each 1 to 100,000) and the
 * explanation after `explainAt` updates (default: the last step). `page`
 * must show the app from dist/ (any URL of it), so the worker's path resolves.
 * A document core rejects comes back as an Error with core's message.
 */
export async function workerReports(page: Page, document: unknown, steps: number[], explainAt?: number): Promise<WorkerReports> {
  const asset = trainingWorkerAsset();
  return page.evaluate(
    ({ asset, document, steps, explainAt }) =>
      new Promise<WorkerReports>((resolveAnswer, reject) => {
        const worker = new Worker(new URL(asset, window.location.href), { type: "module" });
        worker.onmessage = (event: MessageEvent) => {
          const m = event.data as { type: string; requestId?: number; message?: string; field?: string | null };
          if (m.type === "reports" && m.requestId === 1) {
            worker.terminate();
            resolveAnswer(m as unknown as WorkerReports);
          } else if (m.type === "error") {
            worker.terminate();
            reject(new Error(`${m.field ?? ""}: ${m.message ?? ""}`));
          }
        };
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ type: "reports", requestId: 1, document, steps, ...(explainAt === undefined ? {} : { explainAt }) });
      }),
    { asset, document, steps, explainAt },
  );
}
