/** Decides whether one more request from `key` may proceed. */
export interface RateLimiter {
  limit(key: string): Promise<{ success: boolean }> | { success: boolean };
}

/** The shape of Cloudflare's Rate Limiting binding (`ratelimits` in wrangler.jsonc). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export function bindingRateLimiter(binding: RateLimitBinding): RateLimiter {
  return { limit: (key) => binding.limit({ key }) };
}

export interface MemoryRateLimiterOptions {
  /** Requests allowed per key and window. */
  limit: number;
  /** Window length. */
  periodMs: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Keys tracked at once; the oldest window is forgotten past this. */
  maxKeys?: number;
}

/** Fixed windows per key, in memory: the Node server's limiter. */
export function memoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    limit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= options.periodMs) {
        windows.delete(key);
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return { success: w.count <= options.limit };
    },
  };
}
