import { Migration } from '@sms/platform-database';

// The replies of one message (a message's answer lists them; ListReplies' message_id filter):
// an index per partition on the attributed message, so the lookup never walks an account's
// whole window of replies.
export class Migration003ReplyMessageIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index reply_message_idx on reply (message_id, received_at desc, reply_id desc) where message_id is not null;`,
    );
  }
}
