import { DATASET_NAMES, datasetInfo, PRESETS } from "@backprop-lab/core";
import { presetText } from "@backprop-lab/i18n";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import { BackpropError } from "@backprop-lab/core";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import { FAILURE_LABS } from "./engine/diagnose.js";
import type { Explanation, GradientCheckResult } from "@backprop-lab/core";
import { runCompute, type ComputeJob, type ComputeRoute } from "./engine/compute.js";
import type { GridResult } from "./engine/grid.js";
import type { PredictResult } from "./engine/model-ops.js";
import { prepareTraining } from "./engine/train.js";
import { createInlineExecutor, type TrainExecutor } from "./executor.js";
import { DEFAULT_LIMITS, type ApiLimits } from "./limits.js";
import { pickLanguage, TEXT, type Lang, type ProblemKind } from "./messages.js";
import { isJsonEssence, parseMediaType } from "./media-type.js";
import { ApiError, fromBackpropError, PROBLEM_CONTENT_TYPE, renderProblem } from "./problem.js";
import type { RateLimiter } from "./rate-limit.js";
import {
  boundaryRoute,
  datasetsRoute,
  explainRoute,
  gradientCheckRoute,
  limitsRoute,
  predictRoute,
  presetsRoute,
  trainRoute,
  trainStreamRoute,
} from "./routes.js";
import { validationProblem } from "./validation.js";
import { frameEvents, type EventText } from "./sse.js";
import { evaluateRoute, type EvaluateResult } from "./evaluate.js";
import { registerDocs, type DocsAssetLoader } from "./docs.js";
import { createHealth, healthRoute, type Health } from "./ops/health.js";
import { requestLog, type RequestLogSink } from "./ops/log.js";

export const API_VERSION = "0.1.0";

/** The computing routes, by path. */
const COMPUTE_PATHS: Record<string, ComputeRoute> = {
  "/v1/predict": "predict",
  "/v1/boundary": "boundary",
  "/v1/gradient-check": "gradient-check",
  "/v1/explain": "explain",
  "/v1/evaluate": "evaluate",
};

/** A 200 whose body is JSON already serialized (by a worker thread). */
function jsonBytes(c: Context, bytes: Uint8Array): Response {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/json" });
}

/** A JSON answer built as bytes, typed as the route's result for the typed client (hc<AppType>). */
const typed = <T>(res: Response) => res as unknown as TypedResponse<T, 200, "json">;

export interface AppOptions {
  /** Tighter or looser bounds than DEFAULT_LIMITS. */
  limits?: Partial<ApiLimits>;
  /** Where training runs; default: inline, in the request's own thread. */
  executor?: TrainExecutor;
  /** Wall-clock limit of the default inline executor (and what /v1/limits reports). */
  trainTimeoutMs?: number;
  /** null turns rate limiting off. */
  rateLimiter?: RateLimiter | null;
  /** What /v1/limits reports about the rate limiter, and the Retry-After of a 429. */
  rateLimit?: { limit: number; periodSeconds: number } | null;
  /** The key a client is rate-limited by; default the cf-connecting-ip header. */
  clientKey?: (c: Context) => string;
  /** Origins allowed by CORS: "*" (default) or a list. */
  corsOrigins?: "*" | string[];
  /** A stream client that takes no event for this long is dropped and its run stopped; default 15,000 ms. */
  streamStallMs?: number;
  /** Called with unexpected errors (the 500s); default console.error. */
  onUnexpectedError?: (error: unknown) => void;
  /** Gets one line per request (request id, route, method, status, duration); default none. */
  log?: RequestLogSink;
  /** What GET /health adds beyond status, version and uptime (Node: memory, the pool's queue). */
  healthExtra?: () => Partial<Health>;
  /** Serves Swagger UI's files for the reference page at /docs (Node: from node_modules; workerd: static assets). */
  docsAssets?: DocsAssetLoader;
}

export interface AppEnv {
  Variables: { lang: Lang; requestId: string };
}

function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const lang = c.get("lang") ?? "en";
  const body = renderProblem(error, lang, new URL(c.req.url).pathname);
  return c.body(JSON.stringify(body), error.status as 400, {
    ...error.headers,
    "Content-Type": PROBLEM_CONTENT_TYPE,
    "Content-Language": lang,
  });
}

function simpleProblem(kind: ProblemKind, detail: { en: string; es: string }, headers: Record<string, string> = {}): ApiError {
  return new ApiError(kind, detail, { headers });
}

/** Any thrown value as the problem the client sees: a bad request never becomes a 500. */
export function toApiError(error: unknown, onUnexpected: (e: unknown) => void): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400) return simpleProblem("invalid-json", TEXT.invalidJson);
    if (error.status === 413) return simpleProblem("body-too-large", { en: TEXT.bodyTooLarge.en(0), es: TEXT.bodyTooLarge.es(0) });
    if (error.status === 415) return simpleProblem("unsupported-media-type", { en: TEXT.mediaType.en("another type"), es: TEXT.mediaType.es("otro tipo") });
  }
  // core's errors are about what the request asked for: a 422 naming core's field, never a 500
  if (error instanceof BackpropError) return fromBackpropError(error, "");
  onUnexpected(error);
  return simpleProblem("internal-error", TEXT.internal);
}

/** The document with every `x-limit` bound set to this app's limit of that name. */
function withLimits<T>(doc: T, limits: ApiLimits): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const o = node as Record<string, unknown>;
      const name = o["x-limit"];
      if (typeof name === "string" && name in limits) {
        const value = limits[name as keyof ApiLimits];
        const keyword = "maxItems" in o ? "maxItems" : "maximum";
        if (Number.isFinite(value)) o[keyword] = value;
        else delete o[keyword];
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(doc);
  return doc;
}

/**
 * The whole API as one Hono app: the same object runs under
 * @hono/node-server, in workerd, and in tests through `app.request`.
 */
export function createApp(options: AppOptions = {}) {
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const trainTimeoutMs = options.trainTimeoutMs ?? 30_000;
  const streamStallMs = options.streamStallMs ?? 15_000;
  const executor = options.executor ?? createInlineExecutor({ timeoutMs: trainTimeoutMs });
  const rateLimiter = options.rateLimiter ?? null;
  const rateLimit = options.rateLimit ?? null;
  const clientKey = options.clientKey ?? ((c: Context) => c.req.header("cf-connecting-ip") ?? "anonymous");
  const onUnexpected = options.onUnexpectedError ?? ((e: unknown) => console.error(e));

  /** A computing route's answer to a validated body, in this thread (workerd, tests; on Node the body goes to a worker before this, see bodyBytes). */
  const compute = async (job: ComputeJob, c: Context): Promise<Response> => c.json(runCompute(job), 200);

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, (result as { data?: unknown }).data);
    },
  });

  app.use("*", requestId());
  if (options.log) app.use("*", requestLog(options.log));
  app.use("*", async (c, next) => {
    c.set("lang", pickLanguage(c.req.header("accept-language")));
    await next();
    c.res.headers.append("Vary", "Accept-Language");
  });
  app.use("*", secureHeaders());
  app.use(
    "*",
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        const allow = [...methods, "OPTIONS"].join(", ");
        const path = new URL(c.req.url).pathname.slice(0, 200);
        const error = simpleProblem("method-not-allowed", { en: TEXT.methodNotAllowed.en(c.req.method, path, allow), es: TEXT.methodNotAllowed.es(c.req.method, path, allow) }, { Allow: allow });
        return problemResponse(c as Context<AppEnv>, error);
      },
    }),
  );
  const corsHeaders = cors({
    origin: options.corsOrigins ?? "*",
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Accept-Language", "X-Request-Id"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "Content-Language"],
    maxAge: 600,
  });
  app.use("*", async (c, next) => {
    // A preflight is Hono's cors middleware's own answer. On any other request its headers go on the finished
    // response: run before the handler, it creates the context's response early, and Hono then rebuilds the
    // handler's response from its body (a full copy of every answer, and a stream instead of one write on
    // Node). Marked unfinished while it runs, the response's headers are edited in place.
    if (c.req.method === "OPTIONS") return corsHeaders(c, next);
    await next();
    const finalized = c.finalized;
    c.finalized = false;
    try {
      await corsHeaders(c, async () => {});
    } finally {
      c.finalized = finalized;
    }
  });
  app.use("/v1/*", async (c, next) => {
    if (rateLimiter && c.req.method !== "OPTIONS") {
      const { success } = await rateLimiter.limit(clientKey(c));
      if (!success) {
        throw simpleProblem("rate-limited", TEXT.rateLimited, rateLimit ? { "Retry-After": String(rateLimit.periodSeconds) } : {});
      }
    }
    await next();
  });
  const bodyChecks = every(
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: () => {
        throw simpleProblem("body-too-large", { en: TEXT.bodyTooLarge.en(limits.maxBodyBytes), es: TEXT.bodyTooLarge.es(limits.maxBodyBytes) });
      },
    }),
    async (c, next) => {
      const type = c.req.header("content-type");
      if (type === undefined || type.trim() === "") {
        // no body at all is fine (every field has a default or is reported missing); a body needs its type
        if ((await c.req.text()).trim() !== "") throw simpleProblem("unsupported-media-type", { en: TEXT.mediaType.en("none"), es: TEXT.mediaType.es("nada") });
      } else {
        const media = parseMediaType(type);
        const shown = type.slice(0, 60);
        if (!media || !isJsonEssence(media.essence)) {
          throw simpleProblem("unsupported-media-type", { en: TEXT.mediaType.en(shown), es: TEXT.mediaType.es(shown) });
        }
        const charset = media.parameters.get("charset");
        if (charset !== undefined && charset.toLowerCase() !== "utf-8") {
          throw simpleProblem("unsupported-media-type", { en: TEXT.charset.en(charset.slice(0, 40)), es: TEXT.charset.es(charset.slice(0, 40)) });
        }
        if (type !== "application/json") {
          // every RFC 9110 spelling of JSON reaches the route's validator as plain application/json
          const headers = new Headers(c.req.raw.headers);
          headers.set("content-type", "application/json");
          c.req.raw = new Request(c.req.raw, { headers });
        }
      }
      await next();
    },
  );
  app.use("/v1/*", async (c, next) => {
    if (c.req.method === "POST") await bodyChecks(c, next);
    else await next();
  });

  /**
   * A stream's write that waits until the client takes it (backpressure: a worker thread pauses its run a few
   * events ahead); a client that takes nothing for streamStallMs is dropped and its run stopped.
   */
  const writeOrDrop = (stream: SSEStreamingApi, stop: AbortController) => async (chunk: string | Uint8Array) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stop.abort(new Error("stream client stalled"));
        stream.abort();
        reject(new Error("stream client stalled"));
      }, streamStallMs);
    });
    try {
      await Promise.race([stream.write(chunk), stalled]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
  /** A stream's last event when its run fails: the problem, framed like every event. */
  const errorEvent = (error: unknown, c: Context<AppEnv>, id: number) =>
    frameEvents([{ type: "error", json: JSON.stringify(renderProblem(toApiError(error, onUnexpected), c.get("lang"), new URL(c.req.url).pathname)) }], id);

  // On Node a computing or training route's JSON body goes to a worker thread as bytes, to be parsed,
  // validated, checked, computed and serialized there: nothing proportional to the body, the work or the
  // answer runs on the event loop. The errors are the route validator's (400 invalid-json, the capped 422) and
  // the limits' (422), raised in the worker and rethrown here. A request without a type has no body (the
  // body checks refuse one): it goes as `{}`, which every route's validator reads as it reads no body.
  const bodyBytes = async (c: Context): Promise<Uint8Array | null> => {
    if (c.req.method !== "POST") return null;
    const type = c.req.header("content-type");
    if (type === undefined || type.trim() === "") return new TextEncoder().encode("{}");
    return new Uint8Array(await c.req.arrayBuffer());
  };
  const offload = executor.compute?.bind(executor);
  if (offload) {
    for (const [path, route] of Object.entries(COMPUTE_PATHS)) {
      app.use(path, async (c, next) => {
        const body = await bodyBytes(c);
        if (body === null) return next();
        return jsonBytes(c, await offload({ route, body, limits }, { signal: c.req.raw.signal }));
      });
    }
  }
  const offloadTrain = executor.trainBody?.bind(executor);
  if (offloadTrain) {
    app.use("/v1/train", async (c, next) => {
      const body = await bodyBytes(c);
      if (body === null) return next();
      return jsonBytes(c, await offloadTrain({ body, limits, stream: false }, { signal: c.req.raw.signal }));
    });
    app.use("/v1/train/stream", async (c, next) => {
      const body = await bodyBytes(c);
      if (body === null) return next();
      const stop = new AbortController();
      // removed when the stream ends: the request's signal outlives the request in @hono/node-server
      const onRequestAbort = () => stop.abort();
      c.req.raw.signal.addEventListener("abort", onRequestAbort, { once: true });
      // the worker's framed events wait for the stream to open; `sent` numbers the error event, if any
      let write: ((chunk: string | Uint8Array) => Promise<void>) | undefined;
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      let accept!: () => void;
      const accepted = new Promise<void>((resolve) => (accept = resolve));
      let sent = 0;
      const run = offloadTrain(
        { body, limits, stream: true },
        {
          signal: stop.signal,
          onAccepted: accept,
          onFrames: async (bytes, count) => {
            await opened;
            await write!(bytes);
            sent += count;
          },
        },
      );
      try {
        // everything that can be refused is refused before the stream starts, as a plain problem response
        await Promise.race([accepted, run]);
      } catch (error) {
        c.req.raw.signal.removeEventListener("abort", onRequestAbort);
        throw error;
      }
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => stop.abort());
        write = writeOrDrop(stream, stop);
        open();
        try {
          await write(await run);
        } catch (error) {
          if (stop.signal.aborted) return;
          await write(await errorEvent(error, c as Context<AppEnv>, sent));
        } finally {
          c.req.raw.signal.removeEventListener("abort", onRequestAbort);
        }
      });
    });
  }

  app.onError((error, c) => problemResponse(c, toApiError(error, onUnexpected)));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname.slice(0, 200);
    return problemResponse(c, simpleProblem("not-found", { en: TEXT.notFound.en(c.req.method, path), es: TEXT.notFound.es(c.req.method, path) }));
  });

  // generated once, on first request: every route is registered by then
  let openapi: string | null = null;
  app.get("/openapi.json", (c) => {
    openapi ??= JSON.stringify(
      withLimits(app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "backprop-lab API",
          version: API_VERSION,
          description:
            "Train, predict, explain and diagnose small neural networks over HTTP. Errors are application/problem+json (English, or Spanish with Accept-Language: es). Every maximum is this server's limit (x-limit names it in GET /v1/limits).",
        },
      }), limits),
    );
    return c.body(openapi, 200, { "Content-Type": "application/json" });
  });

  registerDocs(app as never, options.docsAssets);

  const health = createHealth(API_VERSION, options.healthExtra);
  const routes = app
    .openapi(healthRoute, (c) => c.json(health(), 200, { "Cache-Control": "no-store" }))
    .openapi(datasetsRoute, (c) =>
      c.json(
        {
          datasets: DATASET_NAMES.map((name) => {
            const info = datasetInfo(name);
            return {
              name,
              kind: info.kind,
              classes: info.classes,
              defaultN: info.defaultN,
              domain: { xMin: info.domain.x1[0], xMax: info.domain.x1[1], yMin: info.domain.x2[0], yMax: info.domain.x2[1] },
              description: info.description,
            };
          }),
        },
        200,
      ),
    )
    .openapi(presetsRoute, (c) =>
      c.json(
        {
          // the title and description in both languages, from the faces' shared text; config is the complete run document
          presets: PRESETS.map((p) => ({ id: p.id, ...presetText(p.id), config: p.document })),
          failureLabs: FAILURE_LABS.map((l) => ({
            id: l.id,
            title: l.title,
            description: l.description,
            config: l.config,
            steps: l.steps,
            expected: l.expected,
            fix: l.fix,
          })),
        },
        200,
      ),
    )
    .openapi(limitsRoute, (c) => c.json({ ...limits, rateLimit, trainTimeoutMs }, 200))
    .openapi(trainRoute, async (c) => {
      const prepared = prepareTraining(c.req.valid("json"), limits);
      const result = await executor.run(prepared, { signal: c.req.raw.signal });
      return c.json(result, 200);
    })
    .openapi(trainStreamRoute, (c) => {
      // everything that can be refused is refused here, as a plain problem response
      const prepared = prepareTraining(c.req.valid("json"), limits);
      return streamSSE(c, async (stream) => {
        const stop = new AbortController();
        stream.onAbort(() => stop.abort());
        // removed when the stream ends: the request's signal outlives the request in @hono/node-server, and a
        // listener left on it kept each finished stream's run and events reachable (~43 KB a stream)
        const onRequestAbort = () => stop.abort();
        c.req.raw.signal.addEventListener("abort", onRequestAbort, { once: true });
        const write = writeOrDrop(stream, stop);
        // events that arrived together go out in one write
        let id = 0;
        const send = async (events: EventText[]) => {
          await write(await frameEvents(events, id));
          id += events.length;
        };
        try {
          const result = await executor.run(prepared, { signal: stop.signal, onEvents: send });
          await send([{ type: "result", json: JSON.stringify(result) }]);
        } catch (error) {
          if (stop.signal.aborted) return;
          await write(await errorEvent(error, c, id));
        } finally {
          c.req.raw.signal.removeEventListener("abort", onRequestAbort);
        }
      });
    })
    .openapi(predictRoute, async (c) => typed<PredictResult>(await compute({ route: "predict", body: c.req.valid("json"), limits }, c)))
    .openapi(boundaryRoute, async (c) => typed<GridResult>(await compute({ route: "boundary", body: c.req.valid("json"), limits }, c)))
    .openapi(gradientCheckRoute, async (c) => typed<GradientCheckResult>(await compute({ route: "gradient-check", body: c.req.valid("json"), limits }, c)))
    .openapi(explainRoute, async (c) => typed<Explanation>(await compute({ route: "explain", body: c.req.valid("json"), limits }, c)))
    .openapi(evaluateRoute, async (c) => typed<EvaluateResult>(await compute({ route: "evaluate", body: c.req.valid("json"), limits }, c)));

  return routes;
}

/** The app's type, for `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>;
