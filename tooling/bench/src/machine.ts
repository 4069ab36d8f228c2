import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  /** 1-minute load average when the run started: above the core count, other work competed for the CPU. */
  load: number;
}

/** Where the figures come from: CPU model from /proc/cpuinfo where there is one. */
export function machineInfo(now = new Date()): MachineInfo {
  let cpu = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpu = line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux: os.cpus() already named it
  }
  return {
    date: now.toISOString().slice(0, 10),
    node: process.version,
    cpu,
    cores: os.availableParallelism(),
    platform: `${os.platform()} ${os.arch()}`,
    load: os.loadavg()[0]!,
  };
}
