// JSON.parse says where a syntax error is only on some engines (Node 20 does
// not), so on failure this small RFC 8259 recognizer finds the spot itself.

/** 1-based line and column of the first JSON syntax error in `text`, or null if it is valid JSON. */
export function jsonSyntaxError(text: string): { line: number; column: number } | null {
  let i = 0;
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const space = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c < " ") return false;
      if (c !== "\\") {
        i++;
        continue;
      }
      const e = text[i + 1] ?? "";
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (e !== "" && '"\\/bfnrt'.includes(e)) i += 2;
      else return false;
    }
    return false;
  };
  // Members of an object or array up to `close`; `member` reads one.
  const members = (close: string, member: () => boolean): boolean => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return true;
    }
    for (;;) {
      if (!member()) return false;
      space();
      if (text[i] === close) {
        i++;
        return true;
      }
      if (text[i] !== ",") return false;
      i++;
    }
  };
  const value = (): boolean => {
    space();
    const c = text[i];
    if (c === "{") {
      return members("}", () => {
        space();
        if (text[i] !== '"' || !string()) return false;
        space();
        if (text[i] !== ":") return false;
        i++;
        return value();
      });
    }
    if (c === "[") return members("]", value);
    if (c === '"') return string();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return true;
      }
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) return false;
    i = NUMBER.lastIndex;
    return true;
  };

  const ok = value();
  space();
  if (ok && i === text.length) return null;
  let line = 1;
  let start = 0;
  for (let k = 0; k < i && k < text.length; k++) {
    if (text[k] === "\n") {
      line++;
      start = k + 1;
    }
  }
  return { line, column: i - start + 1 };
}
