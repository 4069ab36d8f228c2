// Content-Type as RFC 9110 §8.3.1 defines it:
//   media-type = type "/" subtype parameters
//   parameters = *( OWS ";" OWS [ parameter ] )
//   parameter  = parameter-name "=" ( token / quoted-string )
// Names are case-insensitive, a parameter may be empty ("application/json;"),
// and a value may be quoted ('charset="UTF-8"').

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const ESSENCE = new RegExp(`^[ \\t]*(${TOKEN})/(${TOKEN})[ \\t]*`);
const PARAMETER = new RegExp(`;[ \\t]*(?:(${TOKEN})=(${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))?[ \\t]*`, "y");

export interface MediaType {
  /** type/subtype, lower case. */
  essence: string;
  /** Parameter names lower case; values unquoted, case kept. */
  parameters: Map<string, string>;
}

/** The parsed header, or null when it is not a media type at all. */
export function parseMediaType(header: string): MediaType | null {
  const head = ESSENCE.exec(header);
  if (!head) return null;
  const parameters = new Map<string, string>();
  let at = head[0].length;
  while (at < header.length) {
    PARAMETER.lastIndex = at;
    const m = PARAMETER.exec(header);
    if (!m) return null;
    if (m[1] !== undefined) {
      const raw = m[2]!;
      const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
      parameters.set(m[1].toLowerCase(), value);
    }
    at = PARAMETER.lastIndex;
  }
  return { essence: `${head[1]!}/${head[2]!}`.toLowerCase(), parameters };
}

/** application/json or any application/…+json. */
export function isJsonEssence(essence: string): boolean {
  return essence === "application/json" || /^application\/[^/]+\+json$/.test(essence);
}
