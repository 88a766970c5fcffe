import { Migration } from '@sms/platform-database';

/**
 * Frequency limits per account and the platform default (docs/admission-evaluation-order.md):
 * one row per owner (an account id, '' for the platform default). A reset keeps the row with
 * `limits` null, so the revision every change takes from the sequence is what replicas poll.
 */
export class Migration005FrequencyLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence frequency_limit_revision_seq;');
    this.addSql(`
      create table frequency_limit (
        owner text primary key,
        limits jsonb,
        updated_by text not null default '',
        updated_at timestamptz(3) not null default now(),
        revision bigint not null
      );`);
    this.addSql('create index frequency_limit_revision on frequency_limit (revision);');
  }
}
