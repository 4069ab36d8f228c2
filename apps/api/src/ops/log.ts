import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

/** One line of the request log: everything but the body, nothing a client could use to inject lines. */
export interface RequestLogLine {
  /** ISO 8601, when the response was ready (its headers, for a stream). */
  time: string;
  level: "info" | "warn" | "error";
  requestId: string;
  method: string;
  /** The matched route's pattern (e.g. "/v1/train"), or null when none matched (404). */
  route: string | null;
  /** The request's path, cut at 200 characters. */
  path: string;
  status: number;
  /** Milliseconds from the request to its response's headers (a stream goes on after). */
  durationMs: number;
}

export type RequestLogSink = (line: RequestLogLine) => void;

/** Writes each line as one JSON object per line. */
export function jsonLinesSink(write: (text: string) => void): RequestLogSink {
  return (line) => write(`${JSON.stringify(line)}\n`);
}

function routeOf(c: Context): string | null {
  let routes: { path: string; method: string }[];
  try {
    routes = matchedRoutes(c);
  } catch {
    return null;
  }
  // the last match is the handler; a wildcard there means only middleware matched (a 404 or a 405)
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!;
    if (r.method === "ALL" || r.path.includes("*")) continue;
    return r.path;
  }
  return null;
}

/**
 * Logs one line per request after its response is ready. Put it after
 * `requestId()` so the line carries the id the client sent (or was given).
 */
export function requestLog(sink: RequestLogSink): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      try {
        sink({
          time: new Date().toISOString(),
          level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
          requestId: String(c.get("requestId") ?? ""),
          method: c.req.method,
          route: routeOf(c),
          path: new URL(c.req.url).pathname.slice(0, 200),
          status,
          durationMs: Math.round((performance.now() - start) * 1000) / 1000,
        });
      } catch {
        // a failing log sink never fails a request
      }
    }
  };
}
