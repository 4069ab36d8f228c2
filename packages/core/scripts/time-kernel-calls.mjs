// Shared by profile-wasm-train.mjs and profile-wasm-forward.mjs: times each kernel call (warmed up 200 times,
// then `reps` repetitions, best of 5 rounds), prints one line a call, and returns the sum over the calls marked
// as part of the step (or pass); calls not marked are printed after a heading, as other forms.
export function timeCalls(calls, reps, otherForms) {
  for (const [, f] of calls) for (let r = 0; r < 200; r++) f();
  const best = calls.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    calls.forEach(([, f], i) => {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) f();
      best[i] = Math.min(best[i], ((performance.now() - t0) * 1000) / reps);
    });
  }
  let total = 0;
  calls.forEach(([name, , counted], i) => {
    if (counted) total += best[i];
    else if (calls[i - 1][2]) console.log(otherForms);
    console.log(`${name.padEnd(30)} ${best[i].toFixed(2).padStart(8)} us`);
  });
  return total;
}
