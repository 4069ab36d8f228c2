import { createWorkerHandler } from "./handler.js";
import type { FromWorker, ToWorker } from "./protocol.js";

// the worker's global scope, typed without the WebWorker lib (which clashes with DOM's)
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const handler = createWorkerHandler((message, transfer) => scope.postMessage(message, transfer));
scope.onmessage = (event) => handler.handle(event.data);
