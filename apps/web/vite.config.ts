import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// base "./" so dist/ works from any folder of a static host
export default defineConfig({
  base: "./",
  plugins: [react()],
  worker: { format: "es" },
  build: { target: "es2022", sourcemap: true },
});
