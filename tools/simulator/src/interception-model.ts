// The simulator's own expectation of the interception list (SPEC 3): which entries the failures
// it reported must have created, and what a Check must answer afterwards. Comparing the real
// verdicts with these is how a run shows that nothing was lost or doubled on the way.
import {
  CodeCatalogue,
  type InterceptionScope,
  type SendFailureCodeNumber,
} from '@sms/domain-catalogue';
import type { CheckVerdict } from './events';

export interface ExpectedEntry {
  readonly phone: string;
  readonly scope: InterceptionScope;
  readonly ownerAccountId: string;
  readonly code: SendFailureCodeNumber;
  readonly state: 'ACTIVE' | 'EXPIRED';
  /** The message whose failure created or last renewed it. */
  readonly messageId: string;
  /** How many failures it absorbed after its creation (renewals). */
  readonly renewals: number;
}

export class InterceptionModel {
  private readonly entries: ExpectedEntry[] = [];
  /** Active entries by `GLOBAL|phone` or `LOCAL|account|phone`, as indexes into entries. */
  private readonly active = new Map<string, number>();
  private readonly unsubscribed = new Set<string>();

  constructor(private readonly catalogue = new CodeCatalogue()) {}

  verdictFor(accountId: string, phone: string): CheckVerdict {
    if (this.active.has(`GLOBAL|${phone}`)) return 'GLOBAL_BLOCK';
    if (this.active.has(`LOCAL|${accountId}|${phone}`)) return 'PARTIAL_BLOCK';
    if (this.unsubscribed.has(`${accountId}|${phone}`)) return 'UNSUBSCRIBE';
    return 'ALLOW';
  }

  /** A first final SEND_FAILED receipt for a message: a new entry, or a renewal of one. */
  recordFailure(
    accountId: string,
    phone: string,
    code: SendFailureCodeNumber,
    messageId: string,
  ): void {
    const rule = this.catalogue.ruleFor(code);
    if (!rule.blocks) {
      this.entries.push({
        phone,
        scope: rule.scope,
        ownerAccountId: accountId,
        code,
        state: 'EXPIRED',
        messageId,
        renewals: 0,
      });
      return;
    }
    const key = rule.scope === 'GLOBAL' ? `GLOBAL|${phone}` : `LOCAL|${accountId}|${phone}`;
    const existing = this.active.get(key);
    if (existing !== undefined) {
      const entry = this.entries[existing];
      this.entries[existing] = { ...entry, code, messageId, renewals: entry.renewals + 1 };
      return;
    }
    this.active.set(key, this.entries.length);
    this.entries.push({
      phone,
      scope: rule.scope,
      ownerAccountId: accountId,
      code,
      state: 'ACTIVE',
      messageId,
      renewals: 0,
    });
  }

  recordUnsubscribe(accountId: string, phone: string): void {
    this.unsubscribed.add(`${accountId}|${phone}`);
  }

  expectedEntries(): readonly ExpectedEntry[] {
    return this.entries;
  }

  unsubscribes(): { accountId: string; phone: string }[] {
    return [...this.unsubscribed].map((key) => {
      const [accountId = '', phone = ''] = key.split('|');
      return { accountId, phone };
    });
  }
}
