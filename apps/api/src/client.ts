import { hc, type ClientRequestOptions } from "hono/client";
import type { AppType } from "./app.js";

/**
 * A typed client for the API: every route, body and JSON response is typed
 * from the server's own schemas.
 *
 * @example
 * const api = createClient("http://127.0.0.1:8787");
 * const res = await api.v1.explain.$post({ json: {} });
 * const step = await res.json(); // step.layers[0].z …
 */
export function createClient(baseUrl: string, options?: ClientRequestOptions) {
  return hc<AppType>(baseUrl, options);
}

export type Client = ReturnType<typeof createClient>;
