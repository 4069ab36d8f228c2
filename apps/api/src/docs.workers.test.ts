// Runs only inside workerd: /docs and its files through the Worker entry,
// the files read from the static-assets binding (wrangler.jsonc `assets`).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const fetchWorker = (path: string) => exports.default.fetch(new Request(`http://api.test${path}`, { headers: { "cf-connecting-ip": "10.0.9.1" } }));

describe("the reference page in workerd", () => {
  it("serves the page and Swagger UI's files from the assets binding, no CDN", async () => {
    const page = await fetchWorker("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("url: '/openapi.json'");
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).sort();
    expect(refs).toEqual(["/docs/swagger-ui-dist/swagger-ui-bundle.js", "/docs/swagger-ui-dist/swagger-ui.css"]);
    const css = await fetchWorker(refs[1]!);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const cssText = await css.text();
    expect(cssText.length).toBeGreaterThan(100_000);
    expect(cssText).toContain(".swagger-ui");
    const js = await fetchWorker(refs[0]!);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const jsText = await js.text();
    expect(jsText.length).toBeGreaterThan(1_000_000);
    expect(jsText).toContain("SwaggerUIBundle");
    // the rest of the package's folder is not served
    expect((await fetchWorker("/docs/swagger-ui-dist/index.html")).status).toBe(404);
    expect((await fetchWorker("/index.html")).status).toBe(404);
  });

  it("answers /health", async () => {
    const res = await fetchWorker("/health");
    expect(res.status).toBe(200);
    const h = (await res.json()) as { status: string; runtime: string };
    expect(h).toMatchObject({ status: "ok", runtime: "workerd" });
  });
});
