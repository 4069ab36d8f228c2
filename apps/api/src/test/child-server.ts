// The API as a real server in a child process (from source, through tsx),
// the way `pnpm --filter @backprop-lab/api dev` starts it: its stdout lines
// are kept, its resident memory is read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Every complete stdout line so far. */
  lines: string[];
  stderr: () => string;
  /** The child's resident set size in bytes (Linux /proc), or null elsewhere. */
  rss(): number | null;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

/** `nodeArgs` go to node itself (e.g. `--expose-gc`, which makes SIGUSR2 a full collection: see main.ts). */
export async function startChildServer(args: string[] = [], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/node/main.ts", "--port", "0", ...args], {
    cwd: apiDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let partial = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      partial += chunk;
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
      }
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      err += chunk;
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${err}`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    lines,
    stderr: () => err,
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
