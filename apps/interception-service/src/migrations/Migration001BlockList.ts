import { Migration } from '@sms/platform-database';

/**
 * The block list, the idempotency record of failures and the unsubscribe list (SPEC 3).
 * Timestamps are millisecond precision (timestamptz(3)) so keyset page tokens and the Redis
 * index carry exactly what PostgreSQL holds.
 */
export class Migration001BlockList extends Migration {
  override async up(): Promise<void> {
    // One sequence for every row change that the Redis index mirrors: the index keeps only the
    // highest revision it has seen per field, so late or reordered writes cannot resurrect state.
    this.addSql('create sequence index_revision_seq;');

    this.addSql(`
      create table block_entry (
        id uuid primary key,
        phone text not null,
        scope text not null check (scope in ('GLOBAL', 'LOCAL')),
        owner_account_id text null,
        source text not null check (source in ('SEND_FAILURE', 'MANUAL')),
        send_failure_code int null,
        reason text not null,
        detail text not null default '',
        message_id text not null default '',
        intercepted_at timestamptz(3) not null,
        expires_at timestamptz(3) null,
        state text not null check (state in ('ACTIVE', 'EXPIRED', 'DELETED')),
        version int not null default 1,
        revision bigint not null default nextval('index_revision_seq'),
        created_by text not null default '',
        deleted_by text null,
        deleted_at timestamptz(3) null,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        constraint block_entry_local_has_owner check (scope = 'GLOBAL' or owner_account_id is not null)
      );`);
    // At most one ACTIVE entry per (phone) for GLOBAL and per (phone, owner) for LOCAL; renewals
    // use these as ON CONFLICT targets, so concurrent failures for one number cannot race.
    this.addSql(
      `create unique index block_entry_one_active_global on block_entry (phone) where state = 'ACTIVE' and scope = 'GLOBAL';`,
    );
    this.addSql(
      `create unique index block_entry_one_active_local on block_entry (phone, owner_account_id) where state = 'ACTIVE' and scope = 'LOCAL';`,
    );
    // ListEntries keyset order (intercepted_at desc, id desc): per owner, per phone, and for operators.
    this.addSql(
      'create index block_entry_owner_keyset on block_entry (owner_account_id, intercepted_at desc, id desc);',
    );
    this.addSql(
      'create index block_entry_phone_keyset on block_entry (phone, intercepted_at desc, id desc);',
    );
    this.addSql('create index block_entry_keyset on block_entry (intercepted_at desc, id desc);');
    // The sweep: overdue ACTIVE entries.
    this.addSql(
      `create index block_entry_active_due on block_entry (expires_at) where state = 'ACTIVE' and expires_at is not null;`,
    );

    this.addSql(`
      create table recorded_failure (
        message_id text not null,
        code int not null,
        entry_id uuid null references block_entry (id),
        recorded_at timestamptz(3) not null default now(),
        primary key (message_id, code)
      );`);

    // One row per (account, phone): ACTIVE while unsubscribed; REMOVED keeps the time of the
    // resubscribe so an older unsubscribe delivered late does not re-add the number.
    this.addSql(`
      create table unsubscribe (
        account_id text not null,
        phone text not null,
        state text not null check (state in ('ACTIVE', 'REMOVED')),
        since timestamptz(3) not null,
        source text not null check (source in ('REPLY', 'API')),
        reply_id text null,
        changed_at timestamptz(3) not null,
        revision bigint not null default nextval('index_revision_seq'),
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        primary key (account_id, phone)
      );`);
    this.addSql(
      `create index unsubscribe_active_keyset on unsubscribe (account_id, since desc, phone desc) where state = 'ACTIVE';`,
    );
  }
}
