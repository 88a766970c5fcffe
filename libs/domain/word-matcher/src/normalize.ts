// The one normalisation interception words and message content are both put through before they
// are compared (docs/admission-evaluation-order.md): compatibility forms folded (full/half width,
// ligatures, circled letters), accents dropped, case folded, look-alike characters mapped to the
// letter they imitate, and everything that is not a letter or digit treated as a separator, which
// is skipped (so "f.r.e.e m o n e y" reads "freemoney") but remembered as a word boundary.

export type CharClass = 'ALNUM' | 'CJK';

export interface NormalizedText {
  /** Normalised characters, one per code point. */
  readonly chars: readonly string[];
  /** Index in the original text where the character at the same position came from, … */
  readonly from: readonly number[];
  /** … and where that original character ends. */
  readonly to: readonly number[];
  /** A separator, the start, or a change between Latin-like and CJK precedes the character. */
  readonly boundaryBefore: readonly boolean[];
  /** The same after it. */
  readonly boundaryAfter: readonly boolean[];
}

/**
 * Characters that imitate another one, mapped to it. Digits and symbols used as letters
 * ("v1agra", "ca$ino", "fr33"), Cyrillic and Greek letters that look Latin, and the letter l,
 * which reads as I in most fonts. Applied to words and content alike, so a word written with a
 * look-alike still matches its plain spelling.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  l: 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
};

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const CJK = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]$/u;
/** Invisible characters that would otherwise split a word: zero-width and format characters. */
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}]$/u;

/** What one original code point becomes: normalised letters (maybe none) or a separator. */
type Folded = readonly string[] | 'SEPARATOR' | 'INVISIBLE';

const memo = new Map<string, Folded>();
const MEMO_LIMIT = 50_000;

function fold(char: string): Folded {
  const known = memo.get(char);
  if (known !== undefined) return known;
  let result: Folded;
  if (INVISIBLE.test(char)) {
    result = 'INVISIBLE';
  } else {
    const letters: string[] = [];
    // NFKD: compatibility forms and width folded, accents split off (and dropped below).
    for (const part of char.normalize('NFKD').toLowerCase()) {
      const mapped = LOOK_ALIKES[part] ?? part;
      if (LETTER_OR_DIGIT.test(mapped) || mapped !== part) letters.push(mapped);
    }
    result = letters.length > 0 ? letters : 'SEPARATOR';
  }
  if (memo.size < MEMO_LIMIT) memo.set(char, result);
  return result;
}

/** The first code unit of the CJK scripts above (Hangul Jamo, U+1100): below it, no regex. */
const FIRST_CJK_UNIT = 0x1100;

export function classOf(char: string): CharClass {
  if (char.charCodeAt(0) < FIRST_CJK_UNIT) return 'ALNUM';
  return CJK.test(char) ? 'CJK' : 'ALNUM';
}

export function normalizeText(text: string): NormalizedText {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const boundaryBefore: boolean[] = [];
  const boundaryAfter: boolean[] = [];
  let separated = true;
  let previousClass: CharClass | null = null;
  let index = 0;
  for (const char of text) {
    const folded = fold(char);
    const end = index + char.length;
    if (folded === 'SEPARATOR') {
      separated = true;
    } else if (folded !== 'INVISIBLE') {
      for (const letter of folded) {
        const charClass = classOf(letter);
        const boundary = separated || (previousClass !== null && previousClass !== charClass);
        if (chars.length > 0 && boundary) boundaryAfter[chars.length - 1] = true;
        chars.push(letter);
        from.push(index);
        to.push(end);
        boundaryBefore.push(boundary);
        boundaryAfter.push(false);
        separated = false;
        previousClass = charClass;
      }
    }
    index = end;
  }
  if (chars.length > 0) boundaryAfter[chars.length - 1] = true;
  return { chars, from, to, boundaryBefore, boundaryAfter };
}

/** The normalised form of a word: what the automaton stores. Empty when nothing is left. */
export function normalizeWord(word: string): string {
  return normalizeText(word).chars.join('');
}
