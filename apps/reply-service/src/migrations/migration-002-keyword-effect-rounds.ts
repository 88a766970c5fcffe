import { Migration } from '@sms/platform-database';

// The delivery round of a keyword effect: the relay re-arms a round that used up its attempts
// under a fresh BullMQ job id (see @sms/platform-outbox). REFUSED rows are the dead-letter list.
// Also the index of the operators' unattributed list, which now includes named-account misses.
export class Migration002KeywordEffectRounds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table keyword_effect add column round integer not null default 0;`);
    this.addSql(
      `create index keyword_effect_refused_idx on keyword_effect (finished_at desc, reply_id desc) where state = 'REFUSED';`,
    );
    // The operators' unattributed list also holds replies whose named account matched no message.
    this.addSql(
      `create index reply_unattributed_any_idx on reply (received_at desc, reply_id desc) where (account_id is null or attribution = 'UNATTRIBUTED');`,
    );
  }
}
