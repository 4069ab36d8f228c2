import { describe, expect, it } from "vitest";
import { agreementHolds } from "./report.js";
import { checkWorkload } from "./runner.js";
import { configB } from "./workloads/b-xor-2-50-2.js";
import { BARE, diagnosticsOverheadWorkload, WITH_DIAGNOSTICS } from "./workloads/f-diagnostics-overhead.js";

// workload F on a short run of B's network: the check and the timed subjects, not the timings
const short = { ...configB, steps: 20 };

describe("workload F: diagnostics overhead", () => {
  it("diagnostics change no number of the training: the weights match the bare run's bit for bit", async () => {
    const [a, ...rest] = await checkWorkload(diagnosticsOverheadWorkload(short));
    expect(rest).toEqual([]);
    expect(a!.subject).toBe(WITH_DIAGNOSTICS);
    expect(a!.tolerance).toBe(0);
    expect(a!.relativeError).toBe(0);
  });

  it("the check fails for a hook that does change the step (clipping at a norm the gradients exceed)", async () => {
    const [a] = await checkWorkload(diagnosticsOverheadWorkload(short, { clipNorm: 1e-3 }));
    expect(a!.relativeError).toBeGreaterThan(1e-3);
    expect(agreementHolds(a!)).toBe(false);
  });

  it("both subjects run in full from the same start, and the note then states the overhead", async () => {
    const prepared = await diagnosticsOverheadWorkload(short).setup();
    try {
      const [bare, diag] = prepared.subjects;
      expect(prepared.subjects.map((s) => s.name)).toEqual([BARE, WITH_DIAGNOSTICS]);
      expect(diag!.note).not.toMatch(/overhead/);
      for (let round = 0; round < 2; round++) {
        for (const s of [bare!, diag!]) {
          s.reset();
          await s.run();
        }
      }
      expect(diag!.note).toMatch(/overhead per step -?\d+\.\d % .*target ≤ 10 % [✓✗]\)$/);
    } finally {
      prepared.dispose?.();
    }
  });
});
