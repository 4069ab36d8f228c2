import { createWorkerHandler, type WorkerHandler } from "./handler.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { ToView } from "./view.js";

/** Sent by the page before anything else when a view worker samples the frames (src/client/workers.ts). */
export interface ConnectView {
  type: "connect-view";
  port: MessagePort;
}

// the worker's global scope, typed without the WebWorker lib (which clashes with DOM's)
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker | ConnectView>) => void) | null;
};

const toPage = (message: FromWorker, transfer: ArrayBuffer[]) => scope.postMessage(message, transfer);
let handler: WorkerHandler = createWorkerHandler(toPage);
scope.onmessage = (event) => {
  const m = event.data;
  if (m.type === "connect-view") {
    const port = m.port;
    handler = createWorkerHandler(toPage, { view: (message: ToView, transfer) => port.postMessage(message, transfer) });
    return;
  }
  handler.handle(m);
};
