// Pure string helpers. They only split text into pieces; the pieces are then
// rendered as React text children (never as HTML).

import type { HighlightRange } from "./api";
import type { Lang } from "./i18n";

export interface TextSegment {
  text: string;
  mark: boolean;
}

/**
 * Splits `snippet` into plain and highlighted pieces. Ranges are [start, end)
 * offsets in Unicode code points; they are clamped, sorted and merged, so
 * out-of-range or overlapping ranges from the backend cannot break the text.
 */
export function splitHighlights(snippet: string, ranges: readonly HighlightRange[]): TextSegment[] {
  const chars = Array.from(snippet);
  const len = chars.length;
  const clean = ranges
    .filter((r) => Array.isArray(r) && Number.isFinite(r[0]) && Number.isFinite(r[1]))
    .map(([s, e]): [number, number] => [Math.max(0, Math.min(len, Math.floor(s))), Math.max(0, Math.min(len, Math.floor(e)))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const merged: [number, number][] = [];
  for (const [s, e] of clean) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) {
      last[1] = Math.max(last[1], e);
    } else {
      merged.push([s, e]);
    }
  }

  const segments: TextSegment[] = [];
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) segments.push({ text: chars.slice(pos, s).join(""), mark: false });
    segments.push({ text: chars.slice(s, e).join(""), mark: true });
    pos = e;
  }
  if (pos < len) segments.push({ text: chars.slice(pos).join(""), mark: false });
  return segments;
}

export type AnswerSegment = { kind: "text"; text: string } | { kind: "citation"; n: number; text: string };

/**
 * Splits an answer at citation markers like `[1]`. Only numbers contained in
 * `known` become citation segments; any other `[n]` stays plain text.
 * Joining every segment's `text` gives back the original answer.
 */
export function splitCitations(answer: string, known: ReadonlySet<number>): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  const re = /\[(\d+)\]/g;
  let buffer = "";
  let pos = 0;
  for (let m = re.exec(answer); m !== null; m = re.exec(answer)) {
    const n = Number(m[1]);
    buffer += answer.slice(pos, m.index);
    if (known.has(n)) {
      if (buffer) segments.push({ kind: "text", text: buffer });
      buffer = "";
      segments.push({ kind: "citation", n, text: m[0] });
    } else {
      buffer += m[0];
    }
    pos = m.index + m[0].length;
  }
  buffer += answer.slice(pos);
  if (buffer) segments.push({ kind: "text", text: buffer });
  return segments;
}

// The backend's rules for new secrets, checked here first so a mistake shows
// before anything is sent (the backend checks again).
export const MIN_PASSPHRASE_CHARS = 10;
export const MIN_PASSWORD_CHARS = 8;

/** Length in characters as the backend counts them (Unicode code points). */
export function charCount(value: string): number {
  return Array.from(value).length;
}


/** Local date and time of a UTC RFC 3339 stamp; the stamp itself when it can't be read. */
export function formatLocalTime(at: string, locale: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString(locale);
}

const MIB = 1024 * 1024;

/** Bytes as MiB, without the unit: one decimal under 100 MiB, whole numbers above. */
export function formatMiB(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  const mib = bytes / MIB;
  return mib < 100 ? mib.toFixed(1) : String(Math.round(mib));
}

/** A model's number of weights, short: 494M, 1.5B, 7B. */
export function formatParameters(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return "?";
  const short = (value: number, unit: string) => {
    const text = value < 10 ? value.toFixed(1) : String(Math.round(value));
    return `${text.endsWith(".0") ? text.slice(0, -2) : text}${unit}`;
  };
  if (n >= 1e9) return short(n / 1e9, "B");
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

/** Whole percent of `done` out of `total`, 0–100. */
export function percentOf(done: number, total: number): number {
  if (!(total > 0) || !Number.isFinite(done)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** The items of a comma-separated list, trimmed, empty ones left out. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A SHA-256 written as 64 hexadecimal characters. */
export function isSha256(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}

/** The `lang` attribute for text in a document's language ("en", "zh"). */
export function htmlLang(lang: string): string | undefined {
  if (lang === "zh") return "zh-CN";
  if (lang === "en") return "en";
  return undefined;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * The UTF-16 indexes of code-point offsets into `text`, in the order given.
 * The backend counts offsets in Unicode scalar values (Rust chars), while
 * JavaScript strings index UTF-16 units: one emoji or rare CJK character before
 * a passage would shift a plain `slice`. One pass over the text, without
 * `Array.from`, so a multi-megabyte document costs no per-character array.
 * Offsets below 0 map to 0, offsets past the end to `text.length`.
 */
export function utf16Indexes(text: string, offsets: readonly number[]): number[] {
  const order = offsets.map((offset, i) => ({ offset: Number.isFinite(offset) ? offset : 0, i }));
  order.sort((a, b) => a.offset - b.offset);
  const out = new Array<number>(offsets.length).fill(0);
  let points = 0;
  let unit = 0;
  for (const { offset, i } of order) {
    while (points < offset && unit < text.length) {
      const pair = isHighSurrogate(text.charCodeAt(unit)) && isLowSurrogate(text.charCodeAt(unit + 1));
      unit += pair ? 2 : 1;
      points += 1;
    }
    out[i] = unit;
  }
  return out;
}

/**
 * A piece of a document as the viewer renders it: text, a heading line (or the
 * part of one that falls in this piece), or where a page starts.
 * A heading's `marker` is its leading `#`s and the space or tab after them, kept
 * so that the pieces' `marker` + `text` joined give back the document exactly;
 * `opens` tells whether the piece starts the heading line (false for the rest
 * of a heading cut by a page or passage boundary, whose `marker` is then "" or
 * only the tail of the `#`s).
 */
export type DocPiece =
  | { kind: "text"; text: string }
  | { kind: "heading"; level: number; marker: string; text: string; opens: boolean }
  | { kind: "page"; page: number };

/** A Markdown heading line of a document, as UTF-16 indexes: marker at `at`, text from `textAt` to `end`. */
export interface HeadingLine {
  at: number;
  textAt: number;
  end: number;
  level: number;
}

/**
 * The heading lines of `text`, in order: 1 to 6 `#` then a space or tab, at the
 * start of the text or right after a "\n". Not a multiline `^`, which would
 * also match after "\r" or U+2028; a `#` anywhere else stays plain text. One
 * scan of the whole document, so pieces cut anywhere (at a page or at the
 * passage) still know whether they lie on a heading line.
 * The heading runs to the line's end, its "\n" excluded.
 */
export function findHeadings(text: string): HeadingLine[] {
  const re = /(^|\n)(#{1,6})[ \t]/g;
  const headings: HeadingLine[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const textAt = re.lastIndex;
    const newline = text.indexOf("\n", textAt);
    const end = newline < 0 ? text.length : newline;
    headings.push({ at: m.index + m[1].length, textAt, end, level: m[2].length });
    // The next heading can only start after the "\n" that ends this line.
    re.lastIndex = end;
  }
  return headings;
}

/**
 * Cuts `text.slice(from, to)` into plain text and heading pieces, appended to
 * `pieces` (in place: a long document can have more headings than a spread
 * call takes arguments). Uses the document's `headings` from `next` on, those
 * ending before `from` skipped, and returns the index to resume from, so
 * consecutive calls over increasing ranges walk the headings once.
 */
function pushTextPieces(
  pieces: DocPiece[],
  text: string,
  headings: readonly HeadingLine[],
  next: number,
  from: number,
  to: number,
): number {
  let pos = from;
  let i = next;
  while (pos < to) {
    while (i < headings.length && headings[i].end <= pos) i += 1;
    const h = headings[i];
    if (!h || h.at >= to) {
      pieces.push({ kind: "text", text: text.slice(pos, to) });
      break;
    }
    if (h.at > pos) {
      pieces.push({ kind: "text", text: text.slice(pos, h.at) });
      pos = h.at;
      continue;
    }
    const stop = Math.min(to, h.end);
    const markerEnd = Math.min(Math.max(pos, h.textAt), stop);
    pieces.push({
      kind: "heading",
      level: h.level,
      marker: text.slice(pos, markerEnd),
      text: text.slice(markerEnd, stop),
      opens: pos === h.at,
    });
    pos = stop;
  }
  return i;
}

/** A document cut around its cited passage: what comes before, the passage, what follows. */
export interface DocumentSegments {
  before: DocPiece[];
  passage: DocPiece[];
  after: DocPiece[];
}

/**
 * Cuts a document's text around a passage and at its page starts, once, into
 * a handful of strings: a guideline of several megabytes then renders as a
 * text node per run of text and an element per heading line, instead of one
 * element per character.
 *
 * `start`/`end` and `pageStarts` are code-point offsets (see utf16Indexes).
 * When the range does not hold `passage` (offsets from another version of the
 * text), the passage is looked up in the text instead; null when it is not
 * there at all, and the caller shows the passage on its own.
 *
 * A page that starts exactly where the passage starts gets its marker before
 * the passage; one that starts where it ends, after it. Heading lines become
 * heading pieces (see findHeadings), found once here rather than per render.
 */
export function splitDocument(
  text: string,
  pageStarts: readonly number[],
  start: number,
  end: number,
  passage: string,
): DocumentSegments | null {
  if (passage === "") return null;
  const [from, to, ...pages] = utf16Indexes(text, [start, end, ...pageStarts]);
  let s = from;
  let e = to;
  if (text.slice(s, e) !== passage) {
    const found = text.indexOf(passage);
    if (found < 0) return null;
    s = found;
    e = found + passage.length;
  }

  const segments: DocumentSegments = { before: [], passage: [], after: [] };
  const regionOf = (at: number, marker: boolean): DocPiece[] => {
    if (marker ? at <= s : at < s) return segments.before;
    if (at < e) return segments.passage;
    return segments.after;
  };
  const headings = findHeadings(text);
  let heading = 0;
  let pos = 0;
  /** Adds the text from `pos` up to `until`, cut where the passage starts and ends. */
  const textUpTo = (until: number) => {
    while (pos < until) {
      const cut = Math.min(until, pos < s ? s : pos < e ? e : until);
      heading = pushTextPieces(regionOf(pos, false), text, headings, heading, pos, cut);
      pos = cut;
    }
  };
  const markers = pages
    .map((at, i) => ({ at, page: i + 1 }))
    .filter(({ at }) => at <= text.length)
    .sort((a, b) => a.at - b.at || a.page - b.page);
  for (const { at, page } of markers) {
    textUpTo(at);
    regionOf(at, true).push({ kind: "page", page });
  }
  textUpTo(text.length);
  return segments;
}

/** "a, b and c" in the UI language. */
export function listText(lang: Lang, items: string[]): string {
  try {
    return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}
