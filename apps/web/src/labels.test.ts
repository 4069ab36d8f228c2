import { describe, expect, it } from "vitest";
import { biasName, findingTitle, layerName, localizeText, unitName, weightName } from "./labels.js";

describe("layers are numbered input, hidden 1…n, output", () => {
  it("names each layer of a 2-4-2-1 network", () => {
    expect([0, 1, 2, 3].map((i) => layerName("en", i, 4))).toEqual(["input layer", "hidden layer 1", "hidden layer 2", "output layer"]);
    expect([0, 1, 2, 3].map((i) => layerName("es", i, 4))).toEqual(["capa de entrada", "capa oculta 1", "capa oculta 2", "capa de salida"]);
  });
  it("names biases and weights in words", () => {
    expect(biasName("en", 1, 4, 1)).toBe("bias of hidden layer 1, unit 2");
    expect(biasName("en", 3, 4, 0)).toBe("bias of output layer, unit 1");
    expect(biasName("es", 2, 4, 0)).toBe("sesgo de la capa oculta 2, unidad 1");
    expect(weightName("en", unitName("en", 0, 3, 0, "x₁"), unitName("en", 1, 3, 2))).toBe("weight from input x₁ to hidden layer 1, unit 3");
  });
});

describe("texts from other packages read like the page", () => {
  it("a package's layer k is core's layers[k]: hidden layer k + 1, or the output", () => {
    expect(localizeText("en", "(12 % of layer 1)", 4)).toBe("(12 % of hidden layer 2)");
    expect(localizeText("en", "activations of layer 2 sit", 4)).toBe("activations of output layer sit");
    expect(localizeText("es", "(12 % de la capa 1)", 4)).toBe("(12 % de la capa oculta 2)");
  });
  it("Spanish numbers get the decimal comma, exponents through Intl, Infinity in words", () => {
    expect(localizeText("es", "cerca de 0.246 con el 62.5 %")).toBe("cerca de 0,246 con el 62,5 %");
    expect(localizeText("es", "vale 4.81e+153, pérdida Infinity")).toBe("vale 4,81E153, pérdida infinita");
    expect(localizeText("es", "la red 2-3-2 del curso, paso 102695")).toBe("la red 2-3-2 del curso, paso 102695");
    expect(localizeText("en", "loss Infinity")).toBe("loss ∞");
  });
  it("option identifiers by their menu names", () => {
    expect(localizeText("es", "Activación oculta relu → leaky-relu")).toBe("Activación oculta ReLU → ReLU con fuga");
    expect(localizeText("en", "Hidden activation relu → leaky-relu")).toBe("Hidden activation ReLU → Leaky ReLU");
  });
  it("finding codes as words", () => {
    expect(findingTitle("es", "dead-units")).toBe("Unidades muertas");
    expect(findingTitle("en", "no-biases")).toBe("No biases");
  });
});
