import { createMlp, type MlpSpec } from "@backprop-lab/core";
import { toFloat32Exact } from "../agreement.js";
import { sizesLabel } from "../problem.js";
import type { Workload } from "../types.js";
import { vizGridWorkload } from "../viz-grid.js";

/** The Playground's deepest network: six hidden layers of 8 tanh units, one tanh output. */
export const SPEC_G: MlpSpec = { sizes: [2, 8, 8, 8, 8, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true };
export const SIDE_G = 100;
/** A 100×100 grid of this net takes milliseconds, so a run samples several. */
export const GRIDS_PER_RUN_G = 20;

export const workloadG: Workload = vizGridWorkload({
  id: "G",
  title: `${sizesLabel(SPEC_G.sizes)} tanh net on a ${SIDE_G}×${SIDE_G} grid`,
  netDescription: `A ${sizesLabel(SPEC_G.sizes)} tanh network with biases ("xavier" weights from seed 1, rounded to float32)`,
  side: SIDE_G,
  gridsPerRun: GRIDS_PER_RUN_G,
  net: () => ({ spec: SPEC_G, params: toFloat32Exact(createMlp(SPEC_G, { seed: 1, init: "xavier" }).params) }),
});
