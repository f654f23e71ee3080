/**
 * How lexbridge measures and shortens text for QuickBooks' length limits.
 *
 * Intuit's reference gives each limit as "max character: maximum of N chars" and never says what
 * a character is (docs/architecture.md, "Text QuickBooks accepts"). Counting in UTF-16 code units
 * is the stricter reading: a string has at least as many UTF-16 units as code points (an emoji
 * outside the Basic Multilingual Plane is one code point and two units), so text that fits in
 * units fits either way. It is also how a Java service such as QBO measures a `String`.
 */

/** The length QuickBooks is assumed to measure: UTF-16 code units (never fewer than code points). */
export function qboLength(text: string): number {
  return text.length;
}

// Grapheme clusters do not depend on the locale (UAX #29); a fixed one keeps results identical
// on every machine.
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * The longest run of whole grapheme clusters from the start of `text` whose length is at most
 * `max` UTF-16 units. A cut never falls inside a surrogate pair, between a letter and its
 * combining marks, or inside an emoji sequence (ZWJ families, flags, skin tones); a single
 * cluster longer than `max` on its own is left out rather than split.
 */
export function cutToLength(text: string, max: number): string {
  if (qboLength(text) <= max) return text;
  let kept = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > max) break;
    kept = index + segment.length;
  }
  return text.slice(0, kept);
}
