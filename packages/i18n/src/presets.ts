import type { Localized } from "./lang.js";

/** How a face names and describes one of core's presets. */
export interface PresetText {
  title: Localized;
  description: Localized;
}

const playground = (name: "xor" | "circle" | "gauss" | "spiral"): PresetText => ({
  title: { en: `Playground: ${name}`, es: `Playground: ${name}` },
  description: {
    en: `The TensorFlow Playground's default: ${name} data, 2-4-2-1 tanh, learning rate 0.03, batch 10, labels ±1.`,
    es: `El valor por defecto del TensorFlow Playground: datos ${name}, 2-4-2-1 tanh, tasa 0.03, lote 10, etiquetas ±1.`,
  },
});

/** The title and description of every preset of `@backprop-lab/core`'s `PRESETS`, by preset id. */
export const PRESET_TEXT: Readonly<Record<string, PresetText>> = {
  "course-2-3-2-bias": {
    title: { en: "Course network with biases", es: "Red del curso con sesgos" },
    description: {
      en: "The course's 2-3-2 sigmoid network on all 300 of its XOR points, with biases and a brisk learning rate: it learns visibly within seconds and reaches about 93 % accuracy.",
      es: "La red sigmoide 2-3-2 del curso con sus 300 puntos XOR, con sesgos y una tasa de aprendizaje ágil: aprende a la vista en segundos y llega a cerca del 93 % de exactitud.",
    },
  },
  "course-2-3-2-all": {
    title: { en: "Course network, no biases, all points", es: "Red del curso, sin sesgos, todos los puntos" },
    description: {
      en: "Without biases every hidden unit's line passes through the origin: on all 300 points the 2-3-2 network stalls near 68 % accuracy.",
      es: "Sin sesgos la recta de cada neurona oculta pasa por el origen: con los 300 puntos la red 2-3-2 se queda cerca del 68 % de exactitud.",
    },
  },
  "course-2-4-2-bias": {
    title: { en: "Course data, 4 hidden neurons with biases", es: "Datos del curso, 4 neuronas ocultas con sesgos" },
    description: {
      en: "One more hidden neuron and biases: about 99 % of the course's 300 points classified right.",
      es: "Una neurona oculta más y sesgos: cerca del 99 % de los 300 puntos del curso bien clasificados.",
    },
  },
  "course-2-3-2": {
    title: { en: "Course: 3 hidden neurons", es: "Curso: 3 neuronas ocultas" },
    description: {
      en: "The course's run as it ran it: 2-3-2 sigmoid, no biases, its initial weights (seed 2017), learning rate 0.003 per summed gradient, first 50 points. It plateaus near a loss of 0.246.",
      es: "La corrida del curso tal cual: 2-3-2 sigmoide, sin sesgos, sus pesos iniciales (semilla 2017), tasa 0.003 sobre el gradiente sumado, primeros 50 puntos. Se estanca cerca de una pérdida de 0.246.",
    },
  },
  "course-2-50-2": {
    title: { en: "Course: 50 hidden neurons", es: "Curso: 50 neuronas ocultas" },
    description: {
      en: "The course's 50-neuron run with L2 1e-4 and the correct L2 gradient: the loss falls smoothly, with no late climb.",
      es: "La corrida de 50 neuronas del curso con L2 1e-4 y el gradiente L2 correcto: la pérdida baja suavemente, sin subida tardía.",
    },
  },
  "course-2-50-2-reg1e-6": {
    title: { en: "Course: 50 neurons, L2 1e-6", es: "Curso: 50 neuronas, L2 1e-6" },
    description: {
      en: "The course's third run: 50 hidden neurons with a tiny L2 penalty.",
      es: "La tercera corrida del curso: 50 neuronas ocultas con una penalización L2 mínima.",
    },
  },
  "playground-xor": playground("xor"),
  "playground-circle": playground("circle"),
  "playground-gauss": playground("gauss"),
  "playground-spiral": playground("spiral"),
};

/** A preset's text; an id without text (a preset added to core and not here) is its own title, with no description. */
export function presetText(id: string): PresetText {
  return PRESET_TEXT[id] ?? { title: { en: id, es: id }, description: { en: "", es: "" } };
}
