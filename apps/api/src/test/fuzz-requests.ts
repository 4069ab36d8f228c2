// Generated HTTP requests for the fuzz suites over a real socket (Node
// server, workerd): valid and invalid bodies for every route, every method,
// content types as clients really send them (RFC 9110 parameters, case,
// wrong types), odd headers and a few oversized bodies, and uploaded models
// (well-formed, broken, past the limits, mismatched with their rows or run
// document) for every route that takes one. Valid bodies ask for little
// work, so cheap requests dominate the run.
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
// Uploaded models (the `model` of predict, boundary, gradient-check, explain, evaluate and of training that
// continues from a model): well-formed ones of generated shapes and weights, broken ones (each one defect of
// many kinds), ones past the limits (too wide, too deep, too many inputs) and ones that do not fit what they
// are sent with (rows of another width, another network than the run document's).
const HIDDEN = ["sigmoid", "tanh", "relu", "leaky-relu", "linear"] as const;
const OUTPUT = ["sigmoid", "tanh", "linear", "softmax"] as const;
const weight = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-300, 1e300) });

interface UploadedModel {
  format: string;
  version: number;
  spec: { sizes: number[]; hidden?: string | string[]; output: string; bias: boolean };
  weights: number[][][];
  biases: number[][] | null;
}

/** A well-formed model JSON of the given layer widths, with generated weights. */
const modelOf = (sizes: number[]): fc.Arbitrary<UploadedModel> =>
  fc
    .record({
      hidden: fc.oneof(fc.constantFrom(...HIDDEN), fc.array(fc.constantFrom(...HIDDEN), { minLength: sizes.length - 2, maxLength: sizes.length - 2 })),
      output: fc.constantFrom(...OUTPUT),
      bias: fc.boolean(),
      weights: fc.tuple(...sizes.slice(1).map((nOut, l) => fc.array(fc.array(weight, { minLength: nOut, maxLength: nOut }), { minLength: sizes[l]!, maxLength: sizes[l]! }))),
      biases: fc.tuple(...sizes.slice(1).map((nOut) => fc.array(weight, { minLength: nOut, maxLength: nOut }))),
    })
    .map(({ hidden, output, bias, weights, biases }) => ({
      format: "backprop-lab/mlp",
      version: 1,
      spec: { sizes, hidden, output, bias },
      weights,
      biases: bias ? biases : null,
    }));

const modelSizes = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }), fc.integer({ min: 1, max: 3 })).map(([i, h, o]) => [i, ...h, o]);
const validModel = modelSizes.chain(modelOf);

/** One defect in a well-formed model. */
const brokenModel = fc.tuple(validModel, fc.nat(13), anyScalar).map(([m, kind, junk]): unknown => {
  const c = structuredClone(m);
  switch (kind) {
    case 0: return { ...c, format: "backprop-lab/other" };
    case 1: return { ...c, version: 2 };
    case 2: return { ...c, spec: { ...c.spec, sizes: [c.spec.sizes[0]!] } };
    case 3: return { ...c, spec: { ...c.spec, sizes: [...c.spec.sizes, 2] } }; // a layer with no weights
    case 4: c.weights[0]![0]!.push(0.5); return c; // a row one too long
    case 5: c.weights[0]!.pop(); return c; // a row missing
    case 6: c.weights.pop(); return c; // a layer missing
    case 7: return { ...c, weights: c.weights.map((w) => w.map((r) => r.map(() => junk))) }; // not numbers
    case 8: return { ...c, biases: c.spec.bias ? null : c.weights.map((w) => w[0]!.map(() => 0)) }; // biases that contradict spec.bias
    case 9: return { ...c, spec: { ...c.spec, hidden: "softmax", output: "relu" } };
    case 10: return { ...c, spec: { ...c.spec, sizes: c.spec.sizes.map((n) => -n) } };
    case 11: return { ...c, extra: junk };
    case 12: { const { spec: _spec, ...rest } = c; return rest; }
    default: return junk;
  }
});

/** Past a limit: a layer wider than maxWidth, more hidden layers than maxHiddenLayers, more inputs than maxInputs. */
const hugeModel = fc.constantFrom<number[]>([2, 65, 2], [2, ...Array.from({ length: 9 }, () => 2), 2], [33, 2, 2], [2, 4096]).chain((sizes) =>
  sizes.includes(4096)
    ? // the width alone says it: only the spec is real, the weights are a stand-in
      fc.constant<UploadedModel>({ format: "backprop-lab/mlp", version: 1, spec: { sizes, output: "sigmoid", bias: false }, weights: [[[1]]], biases: null })
    : modelOf(sizes),
);

/** Large and well-formed: the limits' widest layers, for a few rows (cheap to run, costly to read). */
const largeModel = fc.constantFrom<number[]>([2, 64, 64, 2], [32, 64, 8]).chain(modelOf);

export const uploadedModel: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: validModel },
  { weight: 4, arbitrary: brokenModel },
  { weight: 1, arbitrary: hugeModel },
  { weight: 1, arbitrary: largeModel },
);

/** Rows for a model: mostly its own input width, sometimes another (a mismatch). */
const rowsFor = (m: unknown): fc.Arbitrary<unknown> => {
  const width = (m as UploadedModel | null)?.spec?.sizes?.[0];
  const fitting = typeof width === "number" && width > 0 && width <= 40 ? width : 2;
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.array(coordinate, { minLength: fitting, maxLength: fitting }), { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(fc.array(coordinate, { minLength: fitting + 1, maxLength: fitting + 1 }), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: rows },
  );
};
/** Targets for a model: mostly its own output width, sometimes another. */
const targetsFor = (m: unknown, n: number): fc.Arbitrary<unknown> => {
  const sizes = (m as UploadedModel | null)?.spec?.sizes;
  const width = Array.isArray(sizes) && typeof sizes.at(-1) === "number" && sizes.at(-1)! > 0 && sizes.at(-1)! <= 8 ? sizes.at(-1)! : 2;
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: width, maxLength: width }), { minLength: n, maxLength: n }) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: width }), { minLength: n, maxLength: n }) },
    { weight: 1, arbitrary: fc.array(fc.array(coordinate, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }) },
  );
};

/** A body that sends a model, for each route that takes one. */
const withModel: Record<"/v1/train" | "/v1/train/stream" | "/v1/predict" | "/v1/boundary" | "/v1/gradient-check" | "/v1/explain" | "/v1/evaluate", fc.Arbitrary<unknown>> = (() => {
  const xy = uploadedModel.chain((m) => rowsFor(m).chain((x) => targetsFor(m, Array.isArray(x) ? x.length : 1).map((y) => ({ model: m, x, y }))));
  // the run document's network: the model's own (it continues from the model: xor's 2 inputs and 2 classes),
  // or any network for any uploaded model (mostly a 422 naming model.spec)
  const ownNetwork = (m: UploadedModel) => ({ hidden: m.spec.sizes.slice(1, -1), activation: m.spec.hidden ?? "tanh", output: m.spec.output, bias: m.spec.bias });
  const matching = fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }).chain((h) => modelOf([2, ...h, 2])).map((m) => ({ model: m as unknown, network: ownNetwork(m) as unknown }));
  const other = uploadedModel.chain((m) => fc.record({ hidden: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }) }).map((network) => ({ model: m, network: network as unknown })));
  const continued = fc
    .record({ pair: fc.oneof({ weight: 2, arbitrary: matching }, { weight: 1, arbitrary: other }), seed: fc.nat(50), steps: fc.integer({ min: 1, max: 20 }), reportEvery: maybe(fc.integer({ min: 1, max: 10 })) })
    .map(({ pair, seed, steps: n, reportEvery }) => ({ config: { seed, data: { name: "xor", n: 40 }, network: pair.network }, steps: n, model: pair.model, ...(reportEvery === undefined ? {} : { reportEvery }) }));
  return {
    "/v1/train": continued,
    "/v1/train/stream": continued,
    "/v1/predict": xy.map(({ model: m, x }) => ({ model: m, x })),
    "/v1/boundary": uploadedModel.chain((m) => fc.record({ model: fc.constant(m), resolution: maybe(fc.integer({ min: 2, max: 12 })), dataset: maybe(fc.constantFrom(...DATASET_NAMES)) }, { requiredKeys: ["model"] })),
    "/v1/gradient-check": xy,
    "/v1/explain": xy.chain((b) => fc.record({ learningRate: maybe(fc.double({ min: 0.001, max: 2, noNaN: true })) }).map((r) => ({ ...b, ...r }))),
    "/v1/evaluate": xy.map(({ model: m, x, y }) => ({ model: m, data: { x, y } })),
  };
})();

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

const jsonBody = (path: (typeof POSTS)[number]) =>
  fc.oneof({ weight: 3, arbitrary: bodies[path] }, { weight: 1, arbitrary: withModel[path] }).map((b) => JSON.stringify(b));

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

/** A request in a line, for a report: method, path, content type and body size. */
export function describeRequest(req: FuzzRequest): string {
  const size = req.body === undefined ? 0 : typeof req.body === "string" ? Buffer.byteLength(req.body) : req.body.byteLength;
  return `${req.method} ${req.path.slice(0, 60)} (content-type ${JSON.stringify(req.headers["content-type"] ?? null)}, ${size}-byte body${typeof req.body === "string" ? `: ${req.body.slice(0, 120)}` : ""})`;
}

/**
 * Sends one request on a connection of its own (no keep-alive), so an
 * answer that leaves a body unread cannot spoil the next request's socket,
 * and returns it as a fetch Response. A request not answered in full within
 * `timeoutMs` (wall clock) fails with an error that names it.
 */
export function sendOnce(base: string, req: FuzzRequest, timeoutMs = 60_000): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(base);
    const headers: Record<string, string | number> = { ...req.headers, connection: "close" };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const r = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
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
    timer = setTimeout(() => {
      const error = new Error(`no complete answer in ${timeoutMs} ms: ${describeRequest(req)}`);
      reject(error);
      r.destroy(error);
    }, timeoutMs);
    r.on("error", reject);
    // a server may answer (413, 415) before it has read a large body and close: that is its right
    r.end(req.body);
  }).finally(() => clearTimeout(timer));
}
