import {
  MESSAGE_STATUS_NUMBERS,
  PROCESS_FAILED_REASON_NUMBERS,
  TEMPLATE_TYPE_NUMBERS,
} from '@sms/domain-catalogue';
import { Migration } from '@sms/platform-database';

// Pins the meaning of the smallint enum columns of `message` in the database itself
// (docs/stored-enum-numbers.md): a lookup table per enum names every number for people and
// ad-hoc SQL, and a CHECK constraint refuses any number the code does not know. No foreign keys:
// each would add a lookup and a shared row lock per ingested row (bench/status/ingest.ts).
// Numbers come from the catalogue's explicit tables, which are never renumbered; a new name is
// added by a later migration (insert its row, replace the constraint).
const ENUMS = [
  { table: 'message_status', column: 'status', numbers: MESSAGE_STATUS_NUMBERS },
  { table: 'template_type', column: 'template_type', numbers: TEMPLATE_TYPE_NUMBERS },
  {
    table: 'process_failed_reason',
    column: 'process_failed_reason',
    numbers: PROCESS_FAILED_REASON_NUMBERS,
  },
] as const;

export class Migration20261205000000StoredEnumNumbers extends Migration {
  override async up(): Promise<void> {
    for (const { table, column, numbers } of ENUMS) {
      const entries = Object.entries(numbers) as [string, number][];
      this.addSql(
        `create table ${table} (number smallint primary key, name text not null unique);`,
      );
      this.addSql(
        `insert into ${table} (number, name) values ${entries
          .map(([name, number]) => `(${number}, '${name}')`)
          .join(', ')};`,
      );
      // Added NOT VALID then validated: rows of existing partitions are checked by one scan that
      // does not block writes to them for longer than the transaction needs.
      this.addSql(
        `alter table message add constraint message_${column}_known
           check (${column} in (${entries.map(([, number]) => number).join(', ')})) not valid;`,
      );
      this.addSql(`alter table message validate constraint message_${column}_known;`);
    }
  }

  override async down(): Promise<void> {
    for (const { table, column } of [...ENUMS].reverse()) {
      this.addSql(`alter table message drop constraint if exists message_${column}_known;`);
      this.addSql(`drop table if exists ${table};`);
    }
  }
}
