// @backprop-lab/i18n: the user-interface text the faces share (the terminal, the API and the web page), in
// both languages the product speaks. The engine (@backprop-lab/core) holds no such text.
export { LANGS, type Lang, type Localized } from "./lang.js";
export { PRESET_TEXT, presetText, type PresetText } from "./presets.js";
