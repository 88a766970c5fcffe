import type { Logger } from '@nestjs/common';

/**
 * Runs a reload step every interval, one at a time (overlapping calls share the running one),
 * logging a failure and trying again at the next interval. The lists in memory that use it
 * (interception words, frequency limits) read only what changed above the revision they last
 * saw, so a change reaches every replica within one interval without depending on Redis pub/sub.
 */
export class RevisionPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly step: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One reload now (shared with one already running). Never rejects. */
  poll(): Promise<void> {
    this.running ??= this.step()
      .catch((error: unknown) => {
        // What is in memory stays as it was; the next interval tries again.
        this.logger.warn(`${this.what} not reloaded: ${String(error)}`);
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
