import { Inject, Injectable } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { normalizeWord } from '@sms/domain-word-matcher';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { optionalText, pageSize, requireId, requireUuid } from '../request-fields';
import type { InterceptionWordEntity, WordListName } from './interception-word.entity';
import { InvalidWordRequestError, PlatformWordListDeniedError } from './interception-words.errors';
import { InterceptionWordsRepository, type WordPosition } from './interception-words.repository';

export interface WordListViewer {
  readonly accountId: string;
  readonly asOperator: boolean;
}

export const MAX_WORDS_PER_CALL = 1000;
export const MAX_WORD_LENGTH = 64;

const isPosition = (value: unknown): value is WordPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as WordPosition).at) &&
  typeof (value as WordPosition).id === 'string';

/**
 * Managing the interception-word lists: a customer manages its own account's list; an operator
 * manages the platform list and may manage any account's.
 */
@Injectable()
export class InterceptionWordsService {
  private readonly pageTokens: PageTokenCodec;

  constructor(
    private readonly repository: InterceptionWordsRepository,
    @Inject(INTERCEPTION_CONFIG) config: InterceptionConfig,
  ) {
    this.pageTokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async list(
    viewer: WordListViewer,
    list: WordListName | undefined,
    size: number,
    pageToken: string,
  ): Promise<{ words: InterceptionWordEntity[]; nextPageToken: string }> {
    const { name, accountId } = this.target(viewer, list);
    const limit = pageSize(size);
    const boundTo = { words: name, accountId };
    const after = this.pageTokens.decode(pageToken, boundTo, isPosition);
    const rows = await this.repository.list(name, accountId, after, limit + 1);
    const words = rows.slice(0, limit);
    const last = words[words.length - 1];
    const nextPageToken =
      rows.length > limit && last
        ? this.pageTokens.encode({ at: last.createdAt.getTime(), id: last.id }, boundTo)
        : '';
    return { words, nextPageToken };
  }

  async add(
    viewer: WordListViewer,
    list: WordListName | undefined,
    words: readonly string[],
    actorInput: string,
  ): Promise<{ words: InterceptionWordEntity[]; added: number }> {
    const { name, accountId } = this.target(viewer, list);
    const actor = optionalText(actorInput, 'actor', 128);
    if (words.length === 0 || words.length > MAX_WORDS_PER_CALL) {
      throw new InvalidWordRequestError(`words must have 1..${MAX_WORDS_PER_CALL} words`);
    }
    const unique = new Map<string, { word: string; normalized: string }>();
    words.forEach((input, i) => {
      const word = (input ?? '').trim();
      if (!word || [...word].length > MAX_WORD_LENGTH) {
        throw new InvalidWordRequestError(`words[${i}] must be 1..${MAX_WORD_LENGTH} characters`);
      }
      const normalized = normalizeWord(word);
      if (!normalized) {
        throw new InvalidWordRequestError(`words[${i}] "${word}" has no letter or digit to match`);
      }
      if (!unique.has(normalized)) unique.set(normalized, { word, normalized });
    });
    return this.repository.add(name, accountId, [...unique.values()], actor);
  }

  async remove(
    viewer: WordListViewer,
    list: WordListName | undefined,
    wordIds: readonly string[],
  ): Promise<number> {
    const { name, accountId } = this.target(viewer, list);
    if (wordIds.length === 0 || wordIds.length > MAX_WORDS_PER_CALL) {
      throw new InvalidWordRequestError(`word_ids must have 1..${MAX_WORDS_PER_CALL} ids`);
    }
    const ids = wordIds.map((id, i) => requireUuid(id, `word_ids[${i}]`));
    return this.repository.remove(name, accountId, ids);
  }

  /** Which list a call is about, and whether the viewer may touch it. */
  private target(
    viewer: WordListViewer,
    list: WordListName | undefined,
  ): { name: WordListName; accountId: string } {
    if (list === 'PLATFORM') {
      if (!viewer.asOperator) {
        throw new PlatformWordListDeniedError(
          'the platform interception-word list is managed by operators',
        );
      }
      return { name: 'PLATFORM', accountId: '' };
    }
    if (list !== 'ACCOUNT') throw new InvalidWordRequestError('list must be PLATFORM or ACCOUNT');
    return { name: 'ACCOUNT', accountId: requireId(viewer.accountId, 'account_id') };
  }
}
