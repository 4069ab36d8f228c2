// Shared by quick-b.mjs and quick-d.mjs: runs the subjects interleaved as the bench does (each round runs every
// subject once, the order alternating), `warmup` rounds untimed, and returns each subject's times (ms) by name;
// and the median of a list.
export async function interleave(subjects, runs, warmup) {
  const times = Object.fromEntries(subjects.map((s) => [s.name, []]));
  for (let round = -warmup; round < runs; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const s of order) {
      await s.reset();
      globalThis.gc?.();
      const t0 = performance.now();
      await s.run();
      const ms = performance.now() - t0;
      if (round >= 0) times[s.name].push(ms);
    }
  }
  return times;
}

export const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
