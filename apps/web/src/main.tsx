import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { createTrainingWorkers } from "./client/workers.js";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App createWorker={createTrainingWorkers} />
  </StrictMode>,
);
