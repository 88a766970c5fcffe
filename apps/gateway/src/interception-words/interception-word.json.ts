import { interceptionV1 } from '@sms/contracts';
import { z } from 'zod';
import { isoOrNull } from '../transport/json-values';

export const interceptionWordJson = z
  .object({
    wordId: z.string().meta({ description: 'Pass to DELETE to remove the word.' }),
    word: z.string().meta({ description: 'As added.', example: 'casino' }),
    list: z.enum(['platform', 'account']),
    createdAt: z.string().meta({ format: 'date-time' }).nullable(),
  })
  .meta({
    id: 'InterceptionWord',
    description: 'A word whose content is refused (KEYWORD_BLOCK).',
  });
export type InterceptionWordJson = z.infer<typeof interceptionWordJson>;

export function toInterceptionWordJson(
  word: interceptionV1.InterceptionWord,
): InterceptionWordJson {
  return {
    wordId: word.wordId,
    word: word.word,
    list: word.list === interceptionV1.WordList.WORD_LIST_PLATFORM ? 'platform' : 'account',
    createdAt: isoOrNull(word.createdAt),
  };
}

export const addWordsBody = z
  .strictObject({
    words: z
      .array(z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'))
      .min(1, 'must have at least one word')
      .max(1000, 'must have at most 1000 words')
      .meta({
        description:
          'Words to block. Matched case- and width-insensitively, across separators and look-alike characters (c@sino, ｃａｓｉｎｏ, c.a.s.i.n.o); Latin words under 5 letters only as whole words.',
        example: ['casino', '贷款'],
      }),
  })
  .meta({ id: 'AddInterceptionWordsRequest', description: 'Words to add to a list.' });
export type AddWordsBody = z.output<typeof addWordsBody>;

export const addedWordsJson = z
  .object({
    data: z.array(interceptionWordJson).meta({ description: 'The words now on the list.' }),
    added: z.number().int().min(0).max(1000).meta({ description: 'How many were new.' }),
  })
  .meta({ id: 'AddedInterceptionWords', description: 'The list after an addition.' });
export type AddedWordsJson = z.infer<typeof addedWordsJson>;

export const removedWordJson = z
  .object({ wordId: z.string(), removed: z.literal(true) })
  .meta({ id: 'InterceptionWordRemoval', description: 'The outcome of removing a word.' });
export type RemovedWordJson = z.infer<typeof removedWordJson>;
