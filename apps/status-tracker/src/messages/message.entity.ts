import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { MessageRow, StoredLogEntry } from './message-record';

/**
 * A row of the day-partitioned `message` table. Its primary key holds the partition key
 * (request_time), so a lookup by id goes through MessageKeyEntity first: with the time known,
 * PostgreSQL reads one partition. The bulk ingest and the keyset lists do not use this entity
 * (raw SQL in MessagesRepository, each naming its benchmark). Enum columns hold the stored
 * numbers of docs/stored-enum-numbers.md.
 */
@Entity({ tableName: 'message' })
export class MessageEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  requestTime!: Date;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'text' })
  smsUser!: string;

  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'integer' })
  entries!: number;

  @Property({ type: 'text' })
  templateId!: string;

  @Property({ type: 'smallint' })
  templateType!: number;

  @Property({ type: ArrayType, columnType: 'text[]' })
  labels!: string[];

  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text' })
  operator!: string;

  @Property({ type: 'smallint' })
  status!: number;

  @Property({ type: 'smallint', nullable: true })
  processFailedReason!: number | null;

  @Property({ type: 'smallint', nullable: true })
  sendFailureCode!: number | null;

  @Property({ type: 'text' })
  reasonDetail!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  channelSendTime!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  receiptTime!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updateTime!: Date;

  @Property({ type: 'boolean' })
  syntheticOutcome!: boolean;

  @Property({ type: 'json', columnType: 'jsonb' })
  sendLog!: StoredLogEntry[];
}

/**
 * `message_key`: the global uniqueness of a message id and where its row lives (request_time,
 * null while only parked receipts came). Written by the ingest's bulk SQL.
 */
@Entity({ tableName: 'message_key' })
export class MessageKeyEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  requestTime!: Date | null;

  @Property({ type: 'text', nullable: true })
  accountId!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}

/** `parked_event`: a receipt that came before its message (parsed event as jsonb). */
@Entity({ tableName: 'parked_event' })
export class ParkedEventEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @PrimaryKey({ type: 'text' })
  eventKey!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  event!: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  parkedAt!: Date;
}

/** The row shape the state machine's mapping (message-record.ts) reads. */
export function messageRowOf(entity: MessageEntity): MessageRow {
  return {
    message_id: entity.messageId,
    request_time: entity.requestTime,
    account_id: entity.accountId,
    sms_user: entity.smsUser,
    recipient: entity.recipient,
    entries: entity.entries,
    template_id: entity.templateId,
    template_type: entity.templateType,
    labels: entity.labels,
    channel: entity.channel,
    operator: entity.operator,
    status: entity.status,
    process_failed_reason: entity.processFailedReason,
    send_failure_code: entity.sendFailureCode,
    reason_detail: entity.reasonDetail,
    channel_send_time: entity.channelSendTime,
    receipt_time: entity.receiptTime,
    update_time: entity.updateTime,
    synthetic_outcome: entity.syntheticOutcome,
    send_log: entity.sendLog,
  };
}
