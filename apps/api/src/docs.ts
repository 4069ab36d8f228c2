// The interactive API reference: Swagger UI (swagger-ui-dist, through
// @hono/swagger-ui's page) over this server's own /openapi.json. Its script
// and stylesheet are served by this app from the package's files, never from
// a CDN, so the page works offline; the online validator badge is off.
import { swaggerUI } from "@hono/swagger-ui";
import type { Hono } from "hono";

/** The files of swagger-ui-dist the page loads. */
export const DOCS_FILES = ["swagger-ui.css", "swagger-ui-bundle.js"] as const;
export type DocsFile = (typeof DOCS_FILES)[number];

/** Reads one of swagger-ui-dist's files (Node: from node_modules; workerd: from the static-assets binding); null when it is not there. */
export type DocsAssetLoader = (file: DocsFile) => Promise<string | Uint8Array | ArrayBuffer | null>;

export const DOCS_PATH = "/docs";
/** Where the page loads its files from: @hono/swagger-ui appends /swagger-ui-dist/<file> to its baseUrl. */
export const DOCS_ASSET_PATH = `${DOCS_PATH}/swagger-ui-dist`;

const CONTENT_TYPES: Record<DocsFile, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** GET /docs (the page) and GET /docs/swagger-ui-dist/<file> (its assets, cached). */
export function registerDocs(app: Hono<never>, load: DocsAssetLoader | undefined, openapiPath = "/openapi.json"): void {
  const cache = new Map<DocsFile, Promise<string | Uint8Array | ArrayBuffer | null>>();
  app.get(
    DOCS_PATH,
    swaggerUI({
      url: openapiPath,
      baseUrl: DOCS_PATH,
      title: "backprop-lab API — reference / referencia",
      // "none" keeps Swagger UI from sending the document to validator.swagger.io
      validatorUrl: "none",
      tryItOutEnabled: true,
      displayRequestDuration: true,
    }),
  );
  app.get(`${DOCS_ASSET_PATH}/:file`, async (c) => {
    const file = c.req.param("file") as DocsFile;
    if (!DOCS_FILES.includes(file) || !load) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = load(file).catch(() => null);
      cache.set(file, body);
    }
    const content = await body;
    if (content === null) {
      cache.delete(file);
      return c.notFound();
    }
    return c.body(content as string, 200, { "Content-Type": CONTENT_TYPES[file], "Cache-Control": "public, max-age=86400" });
  });
}
