// The API as it deploys to Cloudflare: the bundle `wrangler deploy --dry-run`
// builds, run by Miniflare in a real workerd process listening on loopback.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
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
  /**
   * An isolate's V8 heap in use (bytes) right after a full collection, asked of workerd's inspector
   * (DevTools protocol: HeapProfiler.collectGarbage, then Runtime.getHeapUsage). Started with `inspector`.
   * `target`: the isolate, by default the Worker's ("core:user:"; Miniflare's own router is "core:entry").
   */
  heapAfterGc(target?: string): Promise<number>;
  stop(): Promise<void>;
}

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

// A DevTools-protocol client, run in a child node (Node 20 has WebSocket behind a flag only; the child must
// not be this process either, whose event loop runs Miniflare's inspector proxy). workerd handles the
// collection when its isolate next runs, so the child sends requests to /health until it is answered.
const GC_SCRIPT = `
const [socket, base] = process.argv.slice(1);
const ws = new WebSocket(socket);
let next = 0;
const waiting = new Map();
const call = (method) => new Promise((resolve) => { const id = ++next; waiting.set(id, resolve); ws.send(JSON.stringify({ id, method })); });
ws.onmessage = (e) => { const m = JSON.parse(String(e.data)); if (waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); } };
ws.onerror = () => { console.error("inspector connection failed"); process.exit(1); };
ws.onopen = async () => {
  await call("HeapProfiler.enable");
  const collected = call("HeapProfiler.collectGarbage");
  const wake = setInterval(() => fetch(base + "/health").then((r) => r.arrayBuffer(), () => {}), 200);
  await collected;
  clearInterval(wake);
  const usage = await call("Runtime.getHeapUsage");
  console.log(JSON.stringify(usage.result));
  process.exit(0);
};
`;

export async function startWorkerd(options: { inspector?: boolean } = {}): Promise<WorkerdServer> {
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
    ...(options.inspector ? { inspectorPort: await freePort() } : {}),
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
    async heapAfterGc(target = "core:user:") {
      const inspectorUrl = await mf.getInspectorURL();
      const targets = (await (await fetch(new URL("/json", inspectorUrl.href.replace(/^ws/, "http")))).json()) as { id: string; webSocketDebuggerUrl: string }[];
      const socket = targets.find((t) => t.id === target)?.webSocketDebuggerUrl;
      if (!socket) throw new Error("workerd's inspector lists no isolate");
      const flags = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function" ? [] : ["--experimental-websocket"];
      const { stdout } = await promisify(execFile)(process.execPath, [...flags, "--no-warnings", "-e", GC_SCRIPT, socket, url.replace(/\/$/, "")], { timeout: 30_000 });
      return (JSON.parse(stdout) as { usedSize: number }).usedSize;
    },
    async stop() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
