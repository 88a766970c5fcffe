/** What a reply's content asks for. */
export type KeywordAction = 'NONE' | 'UNSUBSCRIBE' | 'RESUBSCRIBE';

/**
 * The comparable form of a reply or keyword: compatibility forms unified (full-width letters,
 * ligatures), accents dropped (`ARRÊT` is `ARRET`), upper-cased, and everything that is not a
 * letter or digit removed (spaces, punctuation, symbols, emoji). `" Stop! "`, `"s-t-o-p"` and
 * `"ＳＴＯＰ"` all become `STOP`; `"TD 退订"` becomes `TD退订`.
 */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export interface KeywordLists {
  readonly unsubscribe: readonly string[];
  readonly resubscribe: readonly string[];
}

export class KeywordListError extends Error {}

/**
 * Matches the WHOLE reply against the configured lists: a keyword inside a longer sentence
 * ("please stop texting me") is not a request, as with carriers' STOP handling.
 */
export class KeywordMatcher {
  private readonly actions = new Map<string, KeywordAction>();

  constructor(lists: KeywordLists) {
    this.add(lists.unsubscribe, 'UNSUBSCRIBE');
    this.add(lists.resubscribe, 'RESUBSCRIBE');
  }

  match(content: string): KeywordAction {
    const normalized = normalizeKeywordText(content);
    if (!normalized) return 'NONE';
    return this.actions.get(normalized) ?? 'NONE';
  }

  private add(keywords: readonly string[], action: KeywordAction): void {
    for (const keyword of keywords) {
      const normalized = normalizeKeywordText(keyword);
      if (!normalized) {
        throw new KeywordListError(`keyword "${keyword}" has no letters or digits`);
      }
      const existing = this.actions.get(normalized);
      if (existing && existing !== action) {
        throw new KeywordListError(
          `keyword "${keyword}" is both an unsubscribe and a resubscribe keyword`,
        );
      }
      this.actions.set(normalized, action);
    }
  }
}
