// Generated HTTP requests for the fuzz suites over a real socket (Node
// server, workerd): valid and invalid bodies for every route, every method,
// content types as clients really send them (RFC 9110 parameters, case,
// wrong types), odd headers and a few oversized bodies. Valid bodies ask for
// little work, so cheap requests dominate the run.
import { createTrainingRun, DATASET_NAMES, FEATURE_NAMES, mlpToJSON, PRESETS } from "@backprop-lab/core";
import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import fc from "fast-check";

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const POSTS = ["/v1/train", "/v1/train/stream", "/v1/predict", "/v1/boundary", "/v1/gradient-check", "/v1/explain", "/v1/evaluate"] as const;
const GETS = ["/health", "/v1/datasets", "/v1/presets", "/v1/limits", "/openapi.json", "/docs", "/docs/swagger-ui-dist/nothing.js"] as const;
const ODD_PATHS = ["/", "/v1", "/v1/", "/v1/train/", "/V1/TRAIN", "/v1/unknown", "/v1/train?steps=5", "/v1//train", "/v1/%zz", "/v1/train/stream/x", `/${"a".repeat(3000)}`, "/health?x=1", "/docs/"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

const model = mlpToJSON(createTrainingRun({ seed: 1, network: { hidden: [3] } }).net);
const wideModel = mlpToJSON(createTrainingRun({ seed: 2, network: { hidden: [8, 8] } }).net);

const smallInt = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(0, 1, 65, 201, 5001, 100_001, 2 ** 32, 1.5, -0));
const anyScalar = fc.oneof(smallInt, fc.double(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null));
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: anyScalar });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const coordinate = fc.double({ min: -6, max: 6, noNaN: true });
const point = fc.tuple(coordinate, coordinate).map((r): number[] => r);
const rows = fc.oneof({ weight: 8, arbitrary: fc.array(mostly(point), { minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: fc.array(fc.array(anyScalar, { maxLength: 3 }), { maxLength: 3 }) });
const labels = fc.array(mostly(fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 8 });
const models = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(model, wideModel) },
  { weight: 1, arbitrary: fc.record({ format: fc.constantFrom(model.format, "x"), version: fc.constantFrom(1, 2), spec: fc.constantFrom(model.spec, { ...model.spec, sizes: [2, 4, 2] }, { ...model.spec, sizes: [2, 65, 2] }, { sizes: [2] }), weights: fc.constantFrom(model.weights, [], [[[1]]]), biases: fc.constantFrom(model.biases, null, [[1]]) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: anyScalar },
);
const dataName = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...DATASET_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const features = mostly(fc.subarray([...FEATURE_NAMES], { minLength: 1 }));
const config = fc.record(
  {
    seed: mostly(fc.nat(100)),
    data: fc.oneof(
      fc.record({ name: dataName, n: maybe(mostly(fc.integer({ min: 1, max: 80 }))), noise: maybe(mostly(fc.double({ min: 0, max: 0.5, noNaN: true }))) }, { requiredKeys: ["name"] }),
      fc.record({ source: fc.constant("inline"), x: rows, y: fc.oneof(labels, rows) }),
      anyScalar,
    ),
    network: fc.record({ hidden: mostly(fc.array(mostly(fc.integer({ min: 1, max: 6 })), { maxLength: 3 })), activation: mostly(fc.constantFrom("tanh", "relu", "sigmoid")), output: mostly(fc.constantFrom("sigmoid", "softmax", "tanh")) }, { requiredKeys: [] }),
    training: fc.record({ learningRate: mostly(fc.double({ min: 1e-4, max: 50, noNaN: true })), batchSize: mostly(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constant("full"))), loss: mostly(fc.constantFrom("mse", "cross-entropy")) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const steps = mostly(fc.integer({ min: 1, max: 30 }));

const bodies: Record<(typeof POSTS)[number], fc.Arbitrary<unknown>> = {
  "/v1/train": fc.oneof(
    fc.record({ preset: mostly(fc.constantFrom(...PRESETS.map((p) => p.id))), steps, reportEvery: maybe(mostly(fc.integer({ min: 1, max: 10 }))), grid: maybe(fc.record({ resolution: mostly(fc.integer({ min: 2, max: 10 })) })) }, { requiredKeys: ["preset", "steps"] }),
    fc.record({ config, steps, curvePoints: maybe(smallInt) }, { requiredKeys: ["steps"] }),
  ),
  "/v1/train/stream": fc.record({ preset: mostly(fc.constantFrom(...PRESETS.map((p) => p.id))), steps, reportEvery: maybe(mostly(fc.integer({ min: 1, max: 10 }))) }, { requiredKeys: ["steps"] }),
  "/v1/predict": fc.record({ model: models, x: rows, features: maybe(features), encoding: maybe(mostly(fc.constantFrom("one-hot", "signed", "regression"))) }, { requiredKeys: [] }),
  "/v1/boundary": fc.record({ model: models, resolution: maybe(mostly(fc.integer({ min: 2, max: 16 }))), dataset: maybe(dataName) }, { requiredKeys: [] }),
  "/v1/gradient-check": fc.record({ model: maybe(models), x: maybe(rows), y: maybe(rows), rows: maybe(mostly(fc.integer({ min: 1, max: 8 }))), epsilon: maybe(fc.double()) }, { requiredKeys: [] }),
  "/v1/explain": fc.record({ x: maybe(rows), y: maybe(rows), learningRate: maybe(fc.oneof(fc.double(), anyScalar)) }, { requiredKeys: [] }),
  "/v1/evaluate": fc.record({ model: models, data: fc.oneof(fc.record({ x: rows, y: fc.oneof(labels, rows) }), fc.record({ name: dataName, n: maybe(mostly(fc.integer({ min: 1, max: 200 }))) }, { requiredKeys: ["name"] }), anyScalar), features: maybe(features), loss: maybe(mostly(fc.constantFrom("mse", "cross-entropy"))) }, { requiredKeys: [] }),
};

/** Content types: mostly JSON as clients spell it, sometimes something else. */
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant("application/json") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "application/json;",
      "application/json; charset=utf-8",
      "APPLICATION/JSON; Charset=UTF-8",
      'application/json; charset="utf-8"',
      "application/json ; charset=utf-8",
      "application/problem+json",
      "application/merge-patch+json",
      "application/json; charset=latin1",
      "application/json; charset=",
      "application/json; =x",
      "application/json;;;",
      "application/",
      "json",
      "text/plain",
      "text/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "*/*",
      "",
      " ",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")) },
);

/** Header values of the other kinds a client or a proxy might send. */
const extraHeaders = fc.record(
  {
    "accept-language": fc.constantFrom("es", "en", "es-ES,es;q=0.9,en;q=0.8", "fr", "*", "es;q=0", "en;q=abc", ""),
    "x-request-id": fc.oneof(fc.constantFrom("abc-123", "two words", "x".repeat(300), "ñ", ""), fc.stringMatching(/^[\w-]{1,40}$/)),
    origin: fc.constantFrom("https://example.org", "null", "http://127.0.0.1:5173"),
    accept: fc.constantFrom("application/json", "text/event-stream", "*/*", "text/html"),
    "x-forwarded-for": fc.constantFrom("1.2.3.4", "::1, 10.0.0.1", "garbage", ""),
    forwarded: fc.constantFrom('for="[2001:db8::1]:80"', "for=unknown", ";;,=", ""),
    "accept-encoding": fc.constantFrom("gzip", "br", "identity", "*"),
  },
  { requiredKeys: [] },
);

const jsonBody = (path: (typeof POSTS)[number]) => bodies[path].map((b) => JSON.stringify(b));

const bodyFor = (path: (typeof POSTS)[number]): fc.Arbitrary<string | Uint8Array | undefined> =>
  fc.oneof(
    { weight: 14, arbitrary: jsonBody(path) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        { weight: 40, arbitrary: fc.constantFrom('{"steps": 1', "{", "[", "nul", '{"a":1}{"b":2}', "\uFEFF{}", '"\\ud800"', "{}".padEnd(2000, " ")) },
        // past the 1 MiB body limit (rare: they cost the most bytes)
        { weight: 1, arbitrary: fc.integer({ min: 1_048_577, max: 1_200_000 }).map((n) => `{"x":"${"a".repeat(n)}"}`) },
      ),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const postRequest: fc.Arbitrary<FuzzRequest> = fc
  .constantFrom(...POSTS)
  .chain((path) => fc.tuple(fc.constant(path), bodyFor(path), contentType, extraHeaders))
  .map(([path, body, type, extra]) => {
    const headers: Record<string, string> = { ...extra };
    if (type !== "" || body !== undefined) headers["content-type"] = type;
    return body === undefined ? { method: "POST", path, headers } : { method: "POST", path, headers, body };
  });

const otherRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom(...GETS, ...POSTS, ...ODD_PATHS), fc.constantFrom(...METHODS), extraHeaders, maybe(fc.string({ maxLength: 40 })))
  .map(([path, method, headers, body]) => {
    if (method === "GET" || method === "HEAD" || body === undefined) return { method, path, headers };
    return { method, path, headers: { ...headers, "content-type": "application/json" }, body };
  });

/** Mostly POSTs to routes that compute, then every other kind. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof({ weight: 7, arbitrary: postRequest }, { weight: 3, arbitrary: otherRequest });

/** What every answer must be: under 500, problems as problem+json with their fields, JSON as JSON. Returns an error text, or null. */
export async function checkResponse(req: FuzzRequest, res: Response): Promise<string | null> {
  const text = await res.text();
  const where = `${req.method} ${req.path.slice(0, 60)} → ${res.status}`;
  if (res.status >= 500) return `${where}: ${text.slice(0, 300)}`;
  if (res.status >= 400) {
    if (res.headers.get("content-type") !== "application/problem+json") return `${where}: content-type ${res.headers.get("content-type")}`;
    if (req.method === "HEAD") return null;
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return `${where}: problem body is not JSON: ${text.slice(0, 100)}`;
    }
    if (p.status !== res.status || typeof p.type !== "string" || typeof p.title !== "string" || typeof p.detail !== "string" || !Array.isArray(p.errors)) {
      return `${where}: malformed problem ${text.slice(0, 200)}`;
    }
    return null;
  }
  if (req.method !== "HEAD" && res.headers.get("content-type")?.startsWith("application/json")) {
    try {
      JSON.parse(text);
    } catch {
      return `${where}: body is not JSON`;
    }
  }
  return null;
}

/**
 * Sends one request on a connection of its own (no keep-alive), so an
 * answer that leaves a body unread cannot spoil the next request's socket,
 * and returns it as a fetch Response.
 */
export function sendOnce(base: string, req: FuzzRequest, timeoutMs = 60_000): Promise<Response> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const headers: Record<string, string | number> = { ...req.headers, connection: "close" };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
        const status = res.statusCode!;
        const empty = status === 204 || status === 304 || req.method === "HEAD";
        let body = Buffer.concat(chunks);
        try {
          // as fetch would: undo the transfer compression a server chose from accept-encoding
          const encoding = h.get("content-encoding");
          if (!empty && encoding === "gzip") body = gunzipSync(body);
          else if (!empty && encoding === "br") body = brotliDecompressSync(body);
          else if (!empty && encoding === "deflate") body = inflateSync(body);
        } catch (error) {
          reject(error);
          return;
        }
        resolve(new Response(empty ? null : body, { status, headers: h }));
      });
    });
    r.on("timeout", () => r.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    r.on("error", reject);
    // a server may answer (413, 415) before it has read a large body and close: that is its right
    r.end(req.body);
  });
}
