import { Box, Text, type DOMElement } from "ink";
import { createContext, useContext, useLayoutEffect, useRef, type ReactNode } from "react";
import type { Painter } from "../render/painter.js";

/** The painter of a real terminal; null under test renderers, where live lines go through Ink like any text. */
export const PainterContext = createContext<Painter | null>(null);

/** A bordered box with a title line; `width` and `height` are its insides. */
export function Panel(props: { title: ReactNode; width: number; height: number; border?: boolean; children?: ReactNode }) {
  const border = props.border ?? true;
  return (
    <Box flexDirection="column" width={props.width + (border ? 2 : 0)} height={props.height + 1 + (border ? 2 : 0)} {...(border ? { borderStyle: "round" as const } : {})}>
      <Text wrap="truncate">{props.title}</Text>
      {props.children}
    </Box>
  );
}

/** Pre-rendered lines (they may carry colour escapes), one Text each: each is cut at the box's edge, never wrapped. */
export function Lines(props: { lines: readonly string[] }) {
  return (
    <>
      {props.lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </>
  );
}

/**
 * Lines that change every frame (the boundary, the curves). With a painter
 * Ink lays out an empty box and the painter draws into it; without one they
 * are ordinary Ink text. `lines` is read when drawing, so it must read the
 * current state itself.
 */
export function LiveLines(props: { id: string; width: number; height: number; lines: () => readonly string[] }) {
  const painter = useContext(PainterContext);
  const ref = useRef<DOMElement>(null);
  const producer = useRef(props.lines);
  producer.current = props.lines;
  const { id, width, height } = props;
  useLayoutEffect(() => {
    if (!painter || !ref.current) return;
    painter.set(id, { target: ref.current, width, height, lines: () => producer.current() });
    return () => painter.set(id, null);
  }, [painter, id, width, height]);
  if (!painter) return <Lines lines={props.lines()} />;
  return <Box ref={ref} width={width} height={height} />;
}
