import { expect } from "vitest";
import type { ProblemDetails } from "../problem.js";

interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export function post(app: Requester, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method: "POST", headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return Promise.resolve(app.request(path, init));
}

/** Checks a response is a well-formed problem with this status, and returns it. */
export async function expectProblem(res: Response, status: number): Promise<ProblemDetails> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const p = (await res.json()) as ProblemDetails;
  expect(p.status).toBe(status);
  expect(p.type).toMatch(/^urn:backprop-lab:problem:[a-z-]+$/);
  for (const key of ["title", "detail", "instance"] as const) expect(typeof p[key]).toBe("string");
  expect(Array.isArray(p.errors)).toBe(true);
  return p;
}

export interface SSEEvent {
  event: string;
  id: string;
  data: string;
}

/** Splits a complete text/event-stream body into events (every event here has one data line). */
export function parseSSE(text: string): SSEEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const e: SSEEvent = { event: "message", id: "", data: "" };
      for (const line of block.split("\n")) {
        const i = line.indexOf(":");
        const key = line.slice(0, i);
        const value = line.slice(i + 1).replace(/^ /, "");
        if (key === "event") e.event = value;
        else if (key === "id") e.id = value;
        else if (key === "data") e.data = value;
      }
      return e;
    });
}
