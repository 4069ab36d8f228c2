/** The languages the product speaks. */
export const LANGS = ["en", "es"] as const;
export type Lang = (typeof LANGS)[number];

/** Text in every language the product speaks. */
export type Localized = Record<Lang, string>;
