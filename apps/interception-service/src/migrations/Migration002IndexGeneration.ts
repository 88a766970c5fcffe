import { Migration } from '@sms/platform-database';

/**
 * What makes the Redis index trustworthy, held durably in PostgreSQL:
 * - `index_state`: the generation of the index that was last fully built (Redis keys carry it)
 *   and the run id of the Redis process that holds it (a restarted Redis, even with persisted
 *   data, no longer matches).
 * - `index_pending`: one row per index-touching change, written by a trigger in the change's own
 *   transaction and removed once Redis took the change. A row left behind (Redis down, a crash
 *   between the commit and the Redis write) means the index is stale until a rebuild.
 */
export class Migration002IndexGeneration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence index_generation_seq;');
    this.addSql(`
      create table index_state (
        id int primary key check (id = 1),
        generation bigint not null default 0,
        redis_run_id text not null default '',
        rebuilt_at timestamptz(3) null
      );`);
    this.addSql(`insert into index_state (id) values (1);`);
    this.addSql(`
      create table index_pending (
        revision bigint primary key,
        created_at timestamptz(3) not null default clock_timestamp(),
        repair_generation bigint null
      );`);
    this.addSql('create index index_pending_created on index_pending (created_at);');
    // A trigger, so no index-touching statement can forget to log itself.
    this.addSql(`
      create function log_index_pending() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or new.revision is distinct from old.revision then
          insert into index_pending (revision) values (new.revision) on conflict do nothing;
        end if;
        return new;
      end $$;`);
    this.addSql(`
      create trigger block_entry_index_pending after insert or update on block_entry
      for each row execute function log_index_pending();`);
    this.addSql(`
      create trigger unsubscribe_index_pending after insert or update on unsubscribe
      for each row execute function log_index_pending();`);
  }
}
