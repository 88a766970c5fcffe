import { Migration } from '@sms/platform-database';

/**
 * Admission (docs/admission-evaluation-order.md):
 * - `interception_word`: the platform list (account_id '') and each account's list, one row per
 *   normalised word, so "Casino" and "ＣＡＳＩＮＯ" are one word.
 * - `word_list_state`: one row per list with the revision of its last change (a sequence), which
 *   every replica polls to reload exactly the lists that changed.
 */
export class Migration003Admission extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence word_list_revision_seq;');
    this.addSql(`
      create table interception_word (
        id uuid primary key,
        list text not null check (list in ('PLATFORM', 'ACCOUNT')),
        account_id text not null default '',
        word text not null,
        normalized text not null,
        created_by text not null default '',
        created_at timestamptz(3) not null default now(),
        constraint interception_word_list_owner check ((list = 'PLATFORM') = (account_id = '')),
        constraint interception_word_unique unique (list, account_id, normalized)
      );`);
    this.addSql(
      'create index interception_word_page on interception_word (list, account_id, created_at desc, id desc);',
    );
    this.addSql(`
      create table word_list_state (
        list_key text primary key,
        revision bigint not null default nextval('word_list_revision_seq')
      );`);
    this.addSql('create index word_list_state_revision on word_list_state (revision);');
  }
}
