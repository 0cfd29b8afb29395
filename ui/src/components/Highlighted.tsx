import type { HighlightRange } from "../api";
import { splitHighlights } from "../text";

/** A snippet with its highlight ranges as <mark> elements; text only, never HTML. */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly HighlightRange[] }) {
  const segments = splitHighlights(text, ranges ?? []);
  return (
    <>
      {segments.map((seg, i) => (seg.mark ? <mark key={i}>{seg.text}</mark> : <span key={i}>{seg.text}</span>))}
    </>
  );
}
