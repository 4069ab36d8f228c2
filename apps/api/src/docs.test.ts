// The reference page at /docs on a real Node server: the page, its script
// and stylesheet (the package's own bytes) load from this server, and a
// headless Chromium that can resolve no host but 127.0.0.1 renders every
// route of the OpenAPI document from them.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { startServer, type RunningServer } from "./node/server.js";

const CHROMIUM = "/usr/bin/chromium";
const distDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

describe("GET /docs", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, pool: { size: 1 } });
  });
  afterAll(() => server.close());

  it("serves the page and every file it loads from this server, pointing at /openapi.json", async () => {
    const res = await fetch(`${server.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("url: '/openapi.json'");
    expect(html).toContain("validatorUrl: 'none'");
    expect(html).toContain("<title>backprop-lab API — reference / referencia</title>");
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.sort()).toEqual(["/docs/swagger-ui-dist/swagger-ui-bundle.js", "/docs/swagger-ui-dist/swagger-ui.css"]);
    for (const ref of refs) {
      const asset = await fetch(`${server.url}${ref}`);
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get("content-type")).toBe(ref.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
      // byte for byte the pinned package's file
      expect(Buffer.from(await asset.arrayBuffer()).equals(readFileSync(join(distDir, ref.split("/").at(-1)!)))).toBe(true);
    }
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
    // only the two files are served
    const other = await fetch(`${server.url}/docs/swagger-ui-dist/package.json`);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
  });

  it.skipIf(!existsSync(CHROMIUM))("renders every route in a browser that can reach no other host", async () => {
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=20000", "--dump-dom", `${server.url}/docs`],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const paths = [...stdout.matchAll(/class="opblock-summary-path" data-path="([^"]+)"/g)].map((m) => m[1]!);
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(paths.sort()).toEqual(Object.keys(doc.paths).sort());
    expect(paths).toContain("/v1/evaluate");
  });

  it("without asset files (an app given none), the files are a 404 problem, not a crash", async () => {
    const res = await createApp().request("/docs/swagger-ui-dist/swagger-ui.css");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await createApp().request("/docs")).status).toBe(200);
  });
});
