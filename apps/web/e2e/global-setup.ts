import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import { APP_DIR, DIST } from "./harness.js";

/** Newest modification time of a file, or of anything under a folder (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = statSync(dir).mtimeMs;
  if (!statSync(dir).isDirectory()) return t;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ unless it is newer than the app's sources and the packages it bundles. */
export default async function setup(): Promise<void> {
  const index = join(DIST, "index.html");
  const inputs = [join(APP_DIR, "src"), join(APP_DIR, "index.html"), ...["core", "viz", "diagnostics", "i18n"].map((p) => join(APP_DIR, "../../packages", p, "dist"))];
  const stale = !existsSync(index) || inputs.some((p) => newest(p) > statSync(index).mtimeMs);
  if (!stale) return;
  process.stdout.write("e2e: building the app (vite build)\n");
  // vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: React's development build (jsxDEV, extra checks)
  // would be bundled. The end-to-end run tests what `pnpm build` ships, so the build runs as production.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: APP_DIR, mode: "production", logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
