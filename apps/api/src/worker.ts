// The Cloudflare Workers entry: the same app, training inline (the work
// budget keeps a run within the CPU limit), rate-limited by the Rate
// Limiting binding.
import { createApp } from "./app.js";
import type { DocsAssetLoader } from "./docs.js";
import { bindingRateLimiter, type RateLimitBinding } from "./rate-limit.js";

export interface WorkerEnv {
  /** Static assets (wrangler.jsonc `assets`): swagger-ui-dist's files for /docs. */
  DOCS_ASSETS?: { fetch(request: Request): Promise<Response> };
  /** `ratelimits` binding from wrangler.jsonc. */
  RATE_LIMITER?: RateLimitBinding;
  /** Comma-separated allowed origins, or "*". */
  CORS_ORIGINS?: string;
  /** Overrides the work budget (e.g. lower on the free plan's 10 ms of CPU). */
  WORK_BUDGET?: string;
  /** What /v1/limits reports; keep in step with the binding's `simple` settings. */
  RATE_LIMIT?: string;
  RATE_LIMIT_PERIOD?: string;
}

type App = ReturnType<typeof createApp>;

function docsAssetsFrom(binding: NonNullable<WorkerEnv["DOCS_ASSETS"]>): DocsAssetLoader {
  return async (file) => {
    const res = await binding.fetch(new Request(`https://assets.local/${file}`));
    return res.ok ? res.arrayBuffer() : null;
  };
}
const apps = new WeakMap<object, App>();

function appFor(env: WorkerEnv): App {
  let app = apps.get(env);
  if (!app) {
    const budget = Number(env.WORK_BUDGET);
    const limit = Number(env.RATE_LIMIT);
    const period = Number(env.RATE_LIMIT_PERIOD);
    app = createApp({
      ...(Number.isFinite(budget) && budget > 0 ? { limits: { workBudget: budget } } : {}),
      ...(env.CORS_ORIGINS && env.CORS_ORIGINS !== "*" ? { corsOrigins: env.CORS_ORIGINS.split(",").map((o) => o.trim()) } : {}),
      ...(env.DOCS_ASSETS ? { docsAssets: docsAssetsFrom(env.DOCS_ASSETS) } : {}),
      rateLimiter: env.RATE_LIMITER ? bindingRateLimiter(env.RATE_LIMITER) : null,
      rateLimit: env.RATE_LIMITER && limit > 0 && period > 0 ? { limit, periodSeconds: period } : null,
    });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    return appFor(env).fetch(request, env, ctx as never);
  },
};
