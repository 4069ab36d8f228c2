import type { ReactElement } from "react";

const PATHS = {
  play: "M8 5v14l11-7z",
  pause: "M6 5h4v14H6zM14 5h4v14h-4z",
  step: "M6 5v14l9-7zM16 5h3v14h-3z",
  reset: "M12 5V1L7 6l5 5V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z",
} as const;

/** Transport icons as inline SVG (no icon font, so they render on every system). */
export function Icon({ name, size = 20 }: { name: keyof typeof PATHS; size?: number }): ReactElement {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" fill="currentColor">
      <path d={PATHS[name]} />
    </svg>
  );
}
