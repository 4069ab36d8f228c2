import type { FromWorker } from "./protocol.js";
import { createViewHandler, type ToView } from "./view.js";

/** The page's one message to the view worker: the port the training worker sends frames through. */
export interface ViewPort {
  type: "port";
  port: MessagePort;
}

// the worker's global scope, typed without the WebWorker lib (which clashes with DOM's)
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ViewPort>) => void) | null;
};

const handler = createViewHandler((message, transfer) => scope.postMessage(message, transfer));
scope.onmessage = (event) => {
  const port = event.data.port;
  port.onmessage = (e: MessageEvent<ToView>) => handler.handle(e.data);
};
