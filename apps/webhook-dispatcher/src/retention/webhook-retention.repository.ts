import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';

/** Deletes what retention no longer keeps, a batch per statement. */
@Injectable()
export class WebhookRetentionRepository {
  constructor(private readonly orm: MikroORM) {}

  /** Delivered or failed deliveries last changed before `cutoff`; pending ones stay. */
  async deleteFinishedDeliveries(cutoff: Date, limit: number): Promise<number> {
    const result = await Sql.fork(this.orm).query(
      `delete from webhook_delivery where delivery_id in (
         select delivery_id from webhook_delivery
          where status <> 'PENDING' and updated_at < ? limit ?)`,
      [cutoff, limit],
    );
    return result.rowCount;
  }

  /** Events stored before `cutoff` with no delivery left (a delivery references its event). */
  async deleteEventsWithoutDeliveries(cutoff: Date, limit: number): Promise<number> {
    const result = await Sql.fork(this.orm).query(
      `delete from webhook_event where event_id in (
         select e.event_id from webhook_event e
          where e.created_at < ?
            and not exists (select 1 from webhook_delivery d where d.event_id = e.event_id)
          limit ?)`,
      [cutoff, limit],
    );
    return result.rowCount;
  }
}
