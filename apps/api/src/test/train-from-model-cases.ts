// Training that continues from an uploaded model (POST /v1/train and
// /v1/train/stream with `model`): the cases, run against an app by
// train-from-model.test.ts (Node: inline and through the worker pool) and
// train-from-model.workers.test.ts (inside workerd). Web APIs only.
import { createTrainingRun, mlpToJSON, type ModelJSON, type RunDocumentInput } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { expectProblem, parseSSE, post } from "./helpers.js";

interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** Full batch, no shuffle, constant rate, SGD: the weights are the run's whole state. */
export const CONTINUE_DOCUMENT: RunDocumentInput = {
  seed: 21,
  data: { source: "generated", name: "circle", n: 120, noise: 0.1, testRatio: 0.25 },
  network: { hidden: [6, 4], activation: "tanh", output: "sigmoid", bias: true },
  training: {
    optimizer: { kind: "sgd" },
    learningRate: 0.4,
    batchSize: "full",
    regularization: { kind: "l2", lambda: 0.005, gradient: "correct" },
    clipping: { maxNorm: 3 },
  },
};

interface TrainBody {
  model: ModelJSON;
  steps: number;
  config: unknown;
}

async function train(app: Requester, body: Record<string, unknown>): Promise<TrainBody> {
  const res = await post(app, "/v1/train", body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as TrainBody;
}

export function trainFromModelCases(name: string, app: Requester): void {
  describe(`${name}: training that continues from an uploaded model`, () => {
    it("100 steps, then 100 more from the returned model = one 200-step run, bit for bit, and = the library's 200 steps", async () => {
      const whole = await train(app, { config: CONTINUE_DOCUMENT, steps: 200 });
      const first = await train(app, { config: CONTINUE_DOCUMENT, steps: 100 });
      // the model goes back as a client sends it: through JSON text
      const second = await train(app, { config: CONTINUE_DOCUMENT, steps: 100, model: JSON.parse(JSON.stringify(first.model)) as unknown });
      expect(second.steps).toBe(100);
      // doubles print exactly in JSON, so equal text is equal bits
      expect(JSON.stringify(second.model)).toBe(JSON.stringify(whole.model));
      // the oracle outside the API: core's run of the same document, 200 steps in one go
      const lib = createTrainingRun(CONTINUE_DOCUMENT);
      lib.advance(200);
      expect(JSON.stringify(whole.model)).toBe(JSON.stringify(mlpToJSON(lib.net)));
      // and the first half moved the weights (the second call did not start from the document's draw)
      const start = createTrainingRun(CONTINUE_DOCUMENT);
      expect(JSON.stringify(first.model)).not.toBe(JSON.stringify(mlpToJSON(start.net)));
    });

    it("streams the continued run: the result event is the body POST /v1/train returns", async () => {
      const first = await train(app, { config: CONTINUE_DOCUMENT, steps: 50 });
      const body = { config: CONTINUE_DOCUMENT, steps: 50, reportEvery: 25, model: first.model };
      const plain = await (await post(app, "/v1/train", body)).text();
      const res = await post(app, "/v1/train/stream", body);
      expect(res.status).toBe(200);
      const events = parseSSE(await res.text());
      expect(events.filter((e) => e.event === "progress").map((e) => (JSON.parse(e.data) as { step: number }).step)).toEqual([25, 50]);
      expect(events.at(-1)!.event).toBe("result");
      expect(events.at(-1)!.data).toBe(plain);
      const lib = createTrainingRun(CONTINUE_DOCUMENT);
      lib.advance(100);
      expect(JSON.stringify((JSON.parse(plain) as TrainBody).model)).toBe(JSON.stringify(mlpToJSON(lib.net)));
    });

    it("refuses a model of another network with 422 naming model.spec.sizes[2] and both widths, in English and Spanish", async () => {
      const other = createTrainingRun({ ...CONTINUE_DOCUMENT, network: { hidden: [6, 5], activation: "tanh", output: "sigmoid", bias: true } });
      const body = { config: CONTINUE_DOCUMENT, steps: 10, model: mlpToJSON(other.net) };
      const en = await expectProblem(await post(app, "/v1/train", body), 422);
      expect(en.type).toBe("urn:backprop-lab:problem:validation-failed");
      expect(en.errors).toEqual([
        { field: "model.spec.sizes[2]", code: "model_mismatch", message: "model layer 2 has 5 units, the document's network has 4 (network.hidden[1])" },
      ]);
      expect([en.model, en.network]).toEqual([5, 4]);
      const es = await expectProblem(await post(app, "/v1/train", body, { "accept-language": "es" }), 422);
      expect(es.errors[0]!.message).toBe("la capa 2 del modelo tiene 5 unidades, la red del documento tiene 4 (network.hidden[1])");
      // the stream refuses it before it starts, as a plain problem
      await expectProblem(await post(app, "/v1/train/stream", body), 422);
    });

    it("names the output activation, the biases and the inputs too", async () => {
      const refuse = async (change: Partial<RunDocumentInput>) => {
        const model = mlpToJSON(createTrainingRun({ ...CONTINUE_DOCUMENT, ...change }).net);
        const p = await expectProblem(await post(app, "/v1/train", { config: CONTINUE_DOCUMENT, steps: 10, model }, { "accept-language": "es" }), 422);
        return [p.errors[0]!.field, p.errors[0]!.message];
      };
      expect(await refuse({ network: { hidden: [6, 4], activation: "tanh", output: "linear", bias: true } })).toEqual([
        "model.spec.output",
        "la activación de salida del modelo es linear, la de la red del documento es sigmoid (network.output)",
      ]);
      expect(await refuse({ network: { hidden: [6, 4], activation: "tanh", output: "sigmoid", bias: false } })).toEqual([
        "model.spec.bias",
        "el modelo no tiene sesgos, la red del documento los tiene (network.bias)",
      ]);
      expect(await refuse({ features: ["x1", "x2", "x1x2"] })).toEqual(["model.spec.sizes[0]", "el modelo lee 3 entradas, la red del documento lee 2 (sus datos y features)"]);
    });

    it("checks the model's numbers and the API's width limit, naming model fields", async () => {
      const model = mlpToJSON(createTrainingRun(CONTINUE_DOCUMENT).net);
      const short = JSON.parse(JSON.stringify(model)) as ModelJSON;
      short.weights[1]!.pop();
      let p = await expectProblem(await post(app, "/v1/train", { config: CONTINUE_DOCUMENT, steps: 10, model: short }), 422);
      expect(p.errors[0]!.field).toBe("model.weights[1]");
      const wide = { ...model, spec: { ...model.spec, sizes: [2, 6, 65, 2] } };
      p = await expectProblem(await post(app, "/v1/train", { config: CONTINUE_DOCUMENT, steps: 10, model: wide }), 422);
      expect(p.type).toBe("urn:backprop-lab:problem:limit-exceeded");
      expect(p.errors[0]!.field).toBe("model.spec.sizes[2]");
    });
  });
}
