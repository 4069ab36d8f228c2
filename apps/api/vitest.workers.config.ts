import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The same route suite inside real workerd (through Miniflare), plus the
// Worker entry with its Rate Limiting binding. Kept apart from the Node
// suite, which needs node: APIs (worker threads, sockets, the file system).
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        // a small limit so the test can reach it; production uses wrangler.jsonc's
        ratelimits: { RATE_LIMITER: { simple: { limit: 5, period: 60 } } },
        bindings: { RATE_LIMIT: "5", RATE_LIMIT_PERIOD: "60" },
      },
    }),
  ],
  test: {
    include: ["src/routes.test.ts", "src/**/*.workers.test.ts"],
    testTimeout: 60_000,
  },
});
