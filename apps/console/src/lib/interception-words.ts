// The words typed in the add box and the gateway's checks on them
// (apps/gateway/src/interception-words/interception-word.json.ts: 1..1000 words, each 1..64
// characters after trimming, counted as JavaScript counts them). Pure: unit-tested in Node.
import { t } from '../i18n';

/** The words typed in the add box, one per line: trimmed, blank lines and repeats dropped. */
export function parseWords(text: string): string[] {
  const words = text
    .split(/\r?\n/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
  return [...new Set(words)];
}

/** The gateway's checks on words to add (1..1000 words, each 1..64 characters); null when fine. */
export function wordsProblem(words: readonly string[]): string | null {
  if (words.length === 0) return t.rules.problems.noWords;
  if (words.length > 1000) return t.rules.problems.tooManyWords(1000);
  const long = words.find((w) => w.length > 64);
  return long ? t.rules.problems.longWord(long) : null;
}
