import fc from "fast-check";

/**
 * Hostile but valid text, built from atoms: each printable atom is exactly one grapheme cluster
 * (checked by the tests that use them), and no two atoms merge into one cluster when they meet,
 * so every cluster of a correctly cleaned and cut output is one of these atoms (or a character the
 * mappers write themselves). A cluster cut in two — a ZWJ family without its last member, a flag
 * with one regional indicator, a letter without its marks, half a surrogate pair — is not.
 * Atoms that must not survive cut in two have non-ASCII bases, so a piece of one is never
 * mistaken for an ASCII character.
 */
export const PRINTABLE_ATOMS = [
  "a",
  "Z",
  "7",
  " ",
  "-",
  "&",
  "'",
  ".",
  "é",
  "ß",
  "中",
  "한",
  "ᄀ\u1161\u11a8", // Hangul syllable from conjoining jamo (L V T)
  "ж\u0301", // Cyrillic letter + combining acute
  "α\u0308\u0301", // Greek letter + two combining marks
  `ʒ${"\u0336\u0337\u0338".repeat(12)}`, // "Zalgo": one cluster of 37 units, longer than a phone
  "😀",
  "👍🏽", // emoji + skin-tone modifier
  "👩‍⚖️", // ZWJ sequence with a variation selector
  "👨‍👩‍👧‍👦", // ZWJ family: 11 units
  "🏳️‍🌈",
  "🇫🇷", // regional-indicator pair
  "🇯🇵",
  "𝔘", // a letter outside the BMP
] as const;

/**
 * Characters QBO cannot take in a name: ':', controls (C0, DEL, C1 with NEL), the Unicode line
 * and paragraph separators, and lone surrogates. The lone high surrogate carries a following "!"
 * so that it can never pair with a lone low one into a real character.
 */
export const CONTROL_ATOMS = [
  ":",
  "\u0000",
  "\u0007",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u000b",
  "\u000c",
  "\u001b",
  "\u001e",
  "\u007f",
  "\u0085",
  "\u009f",
  "\u2028",
  "\u2029",
  "\udbff!",
  "\udc00",
] as const;

/** Text of up to `maxAtoms` atoms, mostly printable, with controls mixed in. */
export function hostileText(maxAtoms: number): fc.Arbitrary<string> {
  const atom = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PRINTABLE_ATOMS) },
    { weight: 1, arbitrary: fc.constantFrom(...CONTROL_ATOMS) },
  );
  return fc.array(atom, { maxLength: maxAtoms, size: "max" }).map((atoms) => atoms.join(""));
}

/** Text that is sometimes far over every QBO limit (a 5,000-character subject, say). */
export function longHostileText(maxAtoms: number): fc.Arbitrary<string> {
  return fc.oneof(
    hostileText(maxAtoms),
    fc.constantFrom("x".repeat(5000), "😀".repeat(2600), `${"👨‍👩‍👧‍👦".repeat(400)}end`),
  );
}

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

export function graphemesOf(text: string): string[] {
  return [...segmenter.segment(text)].map((s) => s.segment);
}

/** The clusters a correct output may hold: whole atoms, and what the mappers write themselves. */
const ALLOWED = new Set<string>([
  ...PRINTABLE_ATOMS,
  ..." !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
  "×",
  "→",
  "—",
]);
/** Multi-line texts also keep tabs and line ends. */
const ALLOWED_IN_TEXT = new Set<string>([...ALLOWED, "\t", "\n", "\r", "\r\n"]);

/** The first cluster of `text` that is not whole (undefined when every cluster is). */
export function brokenCluster(text: string, multiLine: boolean): string | undefined {
  const allowed = multiLine ? ALLOWED_IN_TEXT : ALLOWED;
  return graphemesOf(text).find((g) => !allowed.has(g));
}
