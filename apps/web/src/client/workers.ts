import type { ConnectView } from "../worker/training.worker.js";
import type { ViewPort } from "../worker/view.worker.js";
import type { WorkerLike } from "./run-client.js";

/**
 * The training worker and the view worker as one WorkerLike: messages go to
 * the training worker, which trains and evaluates, then hands each frame to
 * the view worker through a MessageChannel; the view worker samples the grid,
 * the thumbnails and the boundary and posts the frame to the page. The two
 * stages overlap, so a frame's work is spread over two threads.
 */
export function createTrainingWorkers(): WorkerLike {
  const training = new Worker(new URL("../worker/training.worker.ts", import.meta.url), { type: "module" });
  const view = new Worker(new URL("../worker/view.worker.ts", import.meta.url), { type: "module" });
  const channel = new MessageChannel();
  training.postMessage({ type: "connect-view", port: channel.port1 } satisfies ConnectView, [channel.port1]);
  view.postMessage({ type: "port", port: channel.port2 } satisfies ViewPort, [channel.port2]);
  let handler: WorkerLike["onmessage"] = null;
  return {
    postMessage: (message, transfer) => training.postMessage(message, transfer ?? []),
    get onmessage() {
      return handler;
    },
    set onmessage(fn) {
      handler = fn;
      training.onmessage = fn as Worker["onmessage"];
      view.onmessage = fn as Worker["onmessage"];
    },
    terminate() {
      training.terminate();
      view.terminate();
    },
  };
}
