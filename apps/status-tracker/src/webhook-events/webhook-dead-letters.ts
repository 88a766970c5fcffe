import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { commonV1 } from '@sms/contracts';
import { PageTokenCodec } from '@sms/domain-page-token';
import { Sql } from '@sms/platform-database';
import { toProtoDeadLetter, webhookDeadLetterPage, WebhookOutboxTable } from '@sms/platform-outbox';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { InvalidDeadLetterQueryError } from '../outbox/failure-outbox.service';

/** The operators' list of message.status events the webhook-dispatcher refused for good. */
@Injectable()
export class WebhookDeadLetters {
  private readonly table: WebhookOutboxTable;
  private readonly tokens: PageTokenCodec;

  constructor(orm: MikroORM, @Inject(STATUS_CONFIG) config: StatusConfig) {
    this.table = new WebhookOutboxTable(() => Sql.fork(orm));
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async list(
    pageSize: number,
    pageToken: string,
  ): Promise<{ deadLetters: commonV1.DeadLetter[]; nextPageToken: string }> {
    const page = await webhookDeadLetterPage(
      this.table,
      this.tokens,
      { pageSize, pageToken },
      (message) => new InvalidDeadLetterQueryError(message),
    );
    return {
      deadLetters: page.deadLetters.map(toProtoDeadLetter),
      nextPageToken: page.nextPageToken,
    };
  }
}
