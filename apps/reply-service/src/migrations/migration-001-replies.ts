import { Migration } from '@sms/platform-database';

/**
 * Replies, partitioned by day on received_at (retention drops whole partitions), the reply-id
 * key table that makes ingest idempotent across partitions, and the keyword-effect outbox.
 * Daily partitions themselves are created by the partition job (see retention/), not here.
 */
export class Migration001Replies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table reply (
        reply_id text not null,
        received_at timestamptz not null,
        phone text not null,
        content text not null,
        operator text not null default '',
        channel text not null default '',
        account_id text,
        message_id text,
        template_id text,
        labels text[] not null default '{}',
        sms_user text,
        attribution text not null
          check (attribution in ('MESSAGE_ID', 'ACCOUNT_LATEST', 'LATEST_MESSAGE', 'UNATTRIBUTED', 'PENDING')),
        keyword_action text not null check (keyword_action in ('NONE', 'UNSUBSCRIBE', 'RESUBSCRIBE')),
        channel_account_id text,
        channel_message_id text,
        recorded_at timestamptz not null default now(),
        primary key (reply_id, received_at)
      ) partition by range (received_at);`);
    // Every listing is (scope, filter) newest first: keyset on (received_at, reply_id).
    this.addSql(
      `create index reply_account_idx on reply (account_id, received_at desc, reply_id desc);`,
    );
    this.addSql(
      `create index reply_account_phone_idx on reply (account_id, phone, received_at desc, reply_id desc);`,
    );
    this.addSql(
      `create index reply_account_template_idx on reply (account_id, template_id, received_at desc, reply_id desc);`,
    );
    this.addSql(`create index reply_labels_idx on reply using gin (labels);`);
    this.addSql(
      `create index reply_unattributed_idx on reply (received_at desc, reply_id desc) where account_id is null;`,
    );
    this.addSql(
      `create index reply_pending_idx on reply (received_at) where attribution = 'PENDING';`,
    );
    // A unique key on the partitioned table must include received_at, so a redelivery with another
    // received_at would slip through: one small unpartitioned key row per reply guards reply_id.
    this.addSql(`
      create table reply_key (
        reply_id text primary key,
        received_at timestamptz not null
      );`);
    this.addSql(`create index reply_key_received_at_idx on reply_key (received_at);`);
    // The outbox: written in the ingest transaction, drained by BullMQ jobs, re-armed by a relay.
    this.addSql(`
      create table keyword_effect (
        reply_id text primary key,
        account_id text not null,
        phone text not null,
        action text not null check (action in ('UNSUBSCRIBE', 'RESUBSCRIBE')),
        occurred_at timestamptz not null,
        state text not null default 'PENDING' check (state in ('PENDING', 'APPLIED', 'REFUSED')),
        attempts integer not null default 0,
        last_error text,
        created_at timestamptz not null default now(),
        finished_at timestamptz
      );`);
    this.addSql(
      `create index keyword_effect_pending_idx on keyword_effect (created_at) where state = 'PENDING';`,
    );
  }
}
