// Aho–Corasick over normalised characters: one pass over the content finds every listed word,
// however many words there are (built once per list change, not per message).
import { classOf, normalizeText, normalizeWord, type NormalizedText } from './normalize';

export interface ListedWord {
  readonly id: string;
  /** As the list holds it; normalised here. */
  readonly word: string;
}

export interface WordMatch {
  readonly id: string;
  readonly word: string;
  /** The part of the content that matched, as written there (separators and look-alikes kept). */
  readonly matchedText: string;
}

/**
 * A Latin-like word shorter than this must stand as a whole word (boundaries on both sides), so
 * "ass" does not hit "class"; longer ones, and any word with CJK characters (which has no word
 * boundaries), match anywhere.
 */
export const WHOLE_WORD_BELOW = 5;

interface Pattern {
  readonly id: string;
  readonly word: string;
  readonly length: number;
  readonly wholeWord: boolean;
}

export class WordMatcher {
  /** Transitions per node: normalised character → node. Node 0 is the root. */
  private readonly next: Map<string, number>[] = [new Map<string, number>()];
  private readonly fail: number[] = [0];
  /** Patterns ending at each node, including those reached through failure links. */
  private readonly outputs: (Pattern[] | undefined)[] = [undefined];
  readonly size: number;

  constructor(words: readonly ListedWord[]) {
    let size = 0;
    for (const listed of words) {
      const normalized = [...normalizeWord(listed.word)];
      if (normalized.length === 0) continue;
      size += 1;
      let node = 0;
      for (const char of normalized) {
        let child = this.next[node].get(char);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.outputs.push(undefined);
          this.next[node].set(char, child);
        }
        node = child;
      }
      const pattern: Pattern = {
        id: listed.id,
        word: listed.word,
        length: normalized.length,
        wholeWord:
          normalized.length < WHOLE_WORD_BELOW && normalized.every((c) => classOf(c) === 'ALNUM'),
      };
      (this.outputs[node] ??= []).push(pattern);
    }
    this.size = size;
    this.link();
  }

  /** Breadth-first failure links; each node's outputs gain those of its failure node. */
  private link(): void {
    const queue: number[] = [];
    for (const child of this.next[0].values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (const [char, child] of this.next[node]) {
        let fallback = this.fail[node];
        while (fallback !== 0 && !this.next[fallback].has(char)) fallback = this.fail[fallback];
        const target = this.next[fallback].get(char);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.outputs[this.fail[child]];
        if (inherited) this.outputs[child] = [...(this.outputs[child] ?? []), ...inherited];
        queue.push(child);
      }
    }
  }

  /** The first listed word in the content (by where it ends), or null. */
  findFirst(
    content: string,
    normalized: NormalizedText = normalizeText(content),
  ): WordMatch | null {
    if (this.size === 0) return null;
    const { chars, from, to, boundaryBefore, boundaryAfter } = normalized;
    let node = 0;
    for (let i = 0; i < chars.length; i++) {
      const char = chars[i];
      let step = this.next[node].get(char);
      while (step === undefined && node !== 0) {
        node = this.fail[node];
        step = this.next[node].get(char);
      }
      node = step ?? 0;
      const patterns = this.outputs[node];
      if (!patterns) continue;
      for (const pattern of patterns) {
        const start = i - pattern.length + 1;
        if (pattern.wholeWord && !(boundaryBefore[start] && boundaryAfter[i])) continue;
        return {
          id: pattern.id,
          word: pattern.word,
          matchedText: content.slice(from[start], to[i]),
        };
      }
    }
    return null;
  }
}
