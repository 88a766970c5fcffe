import type { BlockEntry, EntryScope, EntrySourceName, EntryStateName } from './block-entry.entity';

/** MikroORM's connection hands timestamps to raw SQL as text (`2026-01-01 00:00:00.123+00`). */
export type DbTime = string | Date;

export function toDate(value: DbTime): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toOptionalDate(value: DbTime | null): Date | null {
  return value === null ? null : toDate(value);
}

/** A block_entry row as PostgreSQL returns it to raw SQL. */
export interface BlockEntryRow {
  id: string;
  phone: string;
  scope: string;
  owner_account_id: string | null;
  source: string;
  send_failure_code: number | null;
  reason: string;
  detail: string;
  message_id: string;
  intercepted_at: DbTime;
  expires_at: DbTime | null;
  state: string;
  version: number;
  revision: string;
  created_by: string;
  deleted_by: string | null;
  deleted_at: DbTime | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export function rowToEntry(row: BlockEntryRow): BlockEntry {
  return {
    id: row.id,
    phone: row.phone,
    scope: row.scope as EntryScope,
    ownerAccountId: row.owner_account_id,
    source: row.source as EntrySourceName,
    sendFailureCode: row.send_failure_code,
    reason: row.reason,
    detail: row.detail,
    messageId: row.message_id,
    interceptedAt: toDate(row.intercepted_at),
    expiresAt: toOptionalDate(row.expires_at),
    state: row.state as EntryStateName,
    version: row.version,
    revision: String(row.revision),
    createdBy: row.created_by,
    deletedBy: row.deleted_by,
    deletedAt: toOptionalDate(row.deleted_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
