import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type WordListName = 'PLATFORM' | 'ACCOUNT';

/** A word whose presence in a message's content blocks it (KEYWORD_BLOCK). */
@Entity({ tableName: 'interception_word' })
export class InterceptionWordEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  list!: WordListName;

  /** '' for the platform list. */
  @Property({ type: 'text' })
  accountId!: string;

  /** As added (trimmed). */
  @Property({ type: 'text' })
  word!: string;

  /** What the matcher compares (@sms/domain-word-matcher normalizeWord). */
  @Property({ type: 'text' })
  normalized!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt!: Date;
}

/** The revision of a list's last change: `PLATFORM` or `ACCOUNT:<accountId>`. */
@Entity({ tableName: 'word_list_state' })
export class WordListStateEntity {
  @PrimaryKey({ type: 'text' })
  listKey!: string;

  @Property({ type: 'bigint' })
  revision!: string;
}

export function listKeyOf(list: WordListName, accountId: string): string {
  return list === 'PLATFORM' ? 'PLATFORM' : `ACCOUNT:${accountId}`;
}
