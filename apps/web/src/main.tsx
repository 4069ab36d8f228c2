import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import type { WorkerLike } from "./client/run-client.js";
import "./styles.css";

const createWorker = () => new Worker(new URL("./worker/training.worker.ts", import.meta.url), { type: "module" }) as unknown as WorkerLike;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App createWorker={createWorker} />
  </StrictMode>,
);
