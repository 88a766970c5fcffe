import { Injectable } from '@nestjs/common';

/**
 * This process's belief about the Redis index: the generation checks may read, or null (answer
 * from PostgreSQL). The durable truth is in PostgreSQL (`index_state`, `index_pending`); this
 * only lets the send path decide without a PostgreSQL query. It is dropped at once on any local
 * sign of staleness (a failed index write, a dropped check connection) and set again only by a
 * verification against PostgreSQL or a finished rebuild that began after the last such sign.
 */
@Injectable()
export class IndexTrust {
  private trusted: string | null = null;
  private epoch = 0;
  private failedWrite = false;

  /** The generation a check may read, or null. */
  get generation(): string | null {
    return this.trusted;
  }

  /** A local write did not reach Redis: distrust until a rebuild that starts after now ends. */
  writeFailed(): void {
    this.failedWrite = true;
    this.distrust();
  }

  /** Something may have changed under us (connection dropped, generation mismatch). */
  distrust(): void {
    this.trusted = null;
    this.epoch += 1;
  }

  get needsRebuild(): boolean {
    return this.failedWrite;
  }

  /** Taken before verifying or rebuilding; `trust` only succeeds if nothing happened since. */
  snapshot(): { epoch: number; failedWrite: boolean } {
    return { epoch: this.epoch, failedWrite: this.failedWrite };
  }

  /** After a rebuild: its start covered every failure seen before `since`. */
  rebuilt(generation: string, since: { epoch: number }): boolean {
    if (this.epoch !== since.epoch) return false;
    this.failedWrite = false;
    this.trusted = generation;
    return true;
  }

  /** After a verification: trusted only if no local failure is waiting for a rebuild. */
  verified(generation: string, since: { epoch: number }): boolean {
    if (this.epoch !== since.epoch || this.failedWrite) return false;
    this.trusted = generation;
    return true;
  }
}
