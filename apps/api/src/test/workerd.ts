// The API as it deploys to Cloudflare: the bundle `wrangler deploy --dry-run`
// builds, run by Miniflare in a real workerd process listening on loopback.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";

export interface WorkerdServer {
  url: string;
  /** The workerd process Miniflare started (a child of this process), or 0 when it was not found. */
  pid: number;
  /** Its resident set size in bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
}

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

export async function startWorkerd(): Promise<WorkerdServer> {
  const outdir = mkdtempSync(join(tmpdir(), "backprop-lab-workerd-"));
  await promisify(execFile)(join(apiDir, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: apiDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    timeout: 180_000,
  });
  const date = /"compatibility_date":\s*"([^"]+)"/.exec(readFileSync(join(apiDir, "wrangler.jsonc"), "utf8"))![1]!;
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, "worker.js"),
    modulesRoot: outdir,
    compatibilityDate: date,
    compatibilityFlags: ["nodejs_compat", "enable_request_signal"],
    // no rate-limit binding: every request reaches the app
    bindings: { CORS_ORIGINS: "*" },
    host: "127.0.0.1",
    port: 0,
  });
  const url = (await mf.ready).origin;
  const children = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[1]) === process.pid && stat.includes("(workerd)");
    } catch {
      return false;
    }
  });
  const pid = Number(children[0] ?? 0);
  return {
    url: url.replace(/\/$/, ""),
    pid,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024,
    async stop() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
