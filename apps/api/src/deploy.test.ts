// `wrangler deploy` is ready: the pinned wrangler bundles the Worker from
// wrangler.jsonc with --dry-run (no account, nothing uploaded), with its
// bindings, and the bundle is the app (it answers /health in workerd: see
// src/fuzz-server.test.ts, which runs this same bundle).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const wrangler = join(apiDir, "node_modules", ".bin", "wrangler");
const outdir = mkdtempSync(join(tmpdir(), "backprop-lab-deploy-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it("wrangler deploy --dry-run bundles the Worker with its bindings", async () => {
  const run = promisify(execFile);
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
  const version = await run(wrangler, ["--version"], { cwd: apiDir, env });
  expect(version.stdout.trim()).toMatch(/4\.86\.0$/);
  const { stdout } = await run(wrangler, ["deploy", "--dry-run", "--outdir", outdir], { cwd: apiDir, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  expect(stdout).toContain("--dry-run: exiting now.");
  for (const binding of ["env.RATE_LIMITER (600 requests/60s)", "env.DOCS_ASSETS", 'env.CORS_ORIGINS ("*")']) expect(stdout).toContain(binding);
  expect(stdout).toMatch(/Read \d+ files from the assets directory/);
  const bundle = join(outdir, "worker.js");
  expect(existsSync(bundle)).toBe(true);
  // one self-contained module: the app and core, no import left to resolve at deploy time
  const code = readFileSync(bundle, "utf8");
  expect(code).not.toMatch(/^import .* from ["'](?!cloudflare:|node:)/m);
  expect(code).toContain("/v1/evaluate");
  expect(code).toContain("urn:backprop-lab:problem:");
  // under 3 MiB even uncompressed (the free plan allows 3 MiB compressed)
  expect(statSync(bundle).size).toBeLessThan(3 * 1024 * 1024);
}, 240_000);
