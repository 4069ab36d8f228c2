import { SSEStreamingApi } from "hono/streaming";

/** An event as its type and its JSON text. */
export interface EventText {
  type: string;
  json: string;
}

/**
 * Events framed as Server-Sent Events, numbered from `firstId`: each by
 * Hono's own `writeSSE`, run on a collector that keeps the text it would
 * write. A stream sends the events that are ready together in one write; on
 * Node the framing runs in the worker thread that made the events.
 */
export async function frameEvents(events: readonly EventText[], firstId: number): Promise<string> {
  const parts: string[] = [];
  const collector = { write: async (text: string) => void parts.push(text) };
  let id = firstId;
  for (const e of events) await SSEStreamingApi.prototype.writeSSE.call(collector, { event: e.type, data: e.json, id: String(id++) });
  return parts.join("");
}
