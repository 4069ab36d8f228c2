/** Width and height in character cells. */
export interface Size {
  width: number;
  height: number;
}

/**
 * Where the dashboard's pieces go for a terminal size. "wide" (from 120×30)
 * puts the course's three panels side by side (accuracy, boundary, loss)
 * over the network and the diagnostics; "medium" (from 72×20) puts the
 * boundary beside the two curves stacked; "narrow" stacks everything. Sizes are the insides of the
 * panels: chart lines, boundary cells, text lines.
 */
export interface Layout {
  kind: "wide" | "medium" | "narrow";
  columns: number;
  rows: number;
  accuracy: Size;
  loss: Size;
  boundary: Size;
  info: Size;
  findings: Size;
  /** Narrow and short: only the boundary, the loss and the findings fit (accuracy and settings are left out). */
  compact: boolean;
}

/** The smallest terminal the dashboard draws in; below it a message asks for more room. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 15;

const BORDER = 2;
const TITLE = 1;

export function computeLayout(columns: number, rows: number): Layout {
  // one column spare: a line that fills the last column leaves some terminals in a pending wrap
  const cols = Math.max(MIN_COLUMNS, columns - 1);
  const lines = Math.max(MIN_ROWS, rows);
  // header line, message line, key line, and one spare so the frame never fills the screen
  const avail = lines - 4;
  // the kind follows the terminal's own width: an exactly 120-column terminal gets the wide layout
  if (columns >= 120 && lines >= 30) {
    const bottom = Math.min(14, Math.max(7, Math.round(avail * 0.32)));
    const top = avail - bottom;
    const bRows = Math.max(3, top - BORDER - TITLE);
    const bWidth = Math.min(2 * bRows, Math.floor(cols / 3));
    const side = cols - (bWidth + BORDER);
    const accW = Math.floor(side / 2);
    const lossW = side - accW;
    const infoW = Math.floor(cols / 2);
    return {
      kind: "wide",
      columns: cols,
      rows: lines,
      accuracy: { width: accW - BORDER, height: top - BORDER - TITLE },
      loss: { width: lossW - BORDER, height: top - BORDER - TITLE },
      boundary: { width: bWidth, height: bRows },
      info: { width: infoW - BORDER, height: bottom - BORDER - TITLE },
      findings: { width: cols - infoW - BORDER, height: bottom - BORDER - TITLE },
      compact: false,
    };
  }
  if (columns >= 72 && lines >= 20) {
    const bottom = Math.max(5, Math.round(avail * 0.3));
    const top = avail - bottom;
    const bRows = Math.max(3, top - BORDER - TITLE);
    const bWidth = Math.min(2 * bRows, Math.floor(cols * 0.45));
    const side = cols - (bWidth + BORDER);
    const accH = Math.floor(top / 2);
    const infoW = Math.floor(cols / 2);
    return {
      kind: "medium",
      columns: cols,
      rows: lines,
      accuracy: { width: side - BORDER, height: accH - BORDER - TITLE },
      loss: { width: side - BORDER, height: top - accH - BORDER - TITLE },
      boundary: { width: bWidth, height: bRows },
      info: { width: infoW, height: bottom - TITLE },
      findings: { width: cols - infoW - 1, height: bottom - TITLE },
      compact: false,
    };
  }
  // narrow: one column, every panel's lines counted so the frame never outgrows the screen (the header stays on top)
  const overhead = 3 * (BORDER + TITLE) + 2 * TITLE; // boundary, accuracy, loss boxes; settings and findings titles
  const room = avail - overhead;
  if (room >= 12) {
    const bRows = Math.max(3, Math.min(Math.floor(cols / 2), Math.floor(room * 0.4)));
    const chartH = Math.max(2, Math.floor(room * 0.15));
    const infoH = Math.max(2, Math.floor(room * 0.15));
    return {
      kind: "narrow",
      columns: cols,
      rows: lines,
      accuracy: { width: cols - BORDER, height: chartH },
      loss: { width: cols - BORDER, height: chartH },
      boundary: { width: Math.min(cols - BORDER, 2 * bRows), height: bRows },
      info: { width: cols, height: infoH },
      findings: { width: cols, height: Math.max(1, room - bRows - 2 * chartH - infoH) },
      compact: false,
    };
  }
  // short: the boundary, the loss and the findings only
  const small = avail - (2 * (BORDER + TITLE) + TITLE);
  const bRows = Math.max(2, Math.floor(small * 0.5));
  const lossH = Math.max(1, Math.floor(small * 0.25));
  return {
    kind: "narrow",
    columns: cols,
    rows: lines,
    accuracy: { width: cols - BORDER, height: 0 },
    loss: { width: cols - BORDER, height: lossH },
    boundary: { width: Math.min(cols - BORDER, 2 * bRows), height: bRows },
    info: { width: cols, height: 0 },
    findings: { width: cols, height: Math.max(1, small - bRows - lossH) },
    compact: true,
  };
}
