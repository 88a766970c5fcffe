import { CodeCatalogue } from '@sms/domain-catalogue';
import { accessOf, planFailure, renewedExpiry } from './entry-rules';

const catalogue = new CodeCatalogue();
const at = (iso: string) => new Date(iso);

describe('planFailure', () => {
  const occurred = at('2026-01-01T00:00:00.000Z');

  it('blocks for the code duration from the moment of failure', () => {
    expect(planFailure(catalogue.ruleFor(510), occurred, occurred)).toEqual({
      kind: 'block',
      scope: 'GLOBAL',
      expiresAt: at('2026-01-01T01:00:00.000Z'),
    });
    expect(planFailure(catalogue.ruleFor(520), occurred, occurred)).toMatchObject({
      kind: 'block',
      scope: 'LOCAL',
    });
  });

  it('records 0-second codes already expired', () => {
    for (const code of [530, 540, 580, 590]) {
      expect(planFailure(catalogue.ruleFor(code), occurred, occurred)).toEqual({
        kind: 'record-expired',
        scope: 'LOCAL',
        expiresAt: occurred,
      });
    }
  });

  it('records a failure reported after its interception ended as expired', () => {
    const now = at('2026-01-01T01:00:00.000Z');
    expect(planFailure(catalogue.ruleFor(510), occurred, now).kind).toBe('record-expired');
  });

  it('follows duration overrides', () => {
    const custom = new CodeCatalogue({ 530: 60 });
    expect(planFailure(custom.ruleFor(530), occurred, occurred)).toEqual({
      kind: 'block',
      scope: 'LOCAL',
      expiresAt: at('2026-01-01T00:01:00.000Z'),
    });
  });
});

describe('renewedExpiry', () => {
  const early = at('2026-01-01T00:00:00.000Z');
  const late = at('2026-01-02T00:00:00.000Z');

  it('takes the later expiry and never shortens', () => {
    expect(renewedExpiry(early, late)).toEqual(late);
    expect(renewedExpiry(late, early)).toEqual(late);
  });

  it('keeps an entry without expiry without expiry', () => {
    expect(renewedExpiry(null, late)).toBeNull();
  });
});

describe('accessOf', () => {
  const customer = { accountId: 'acc-1', asOperator: false };

  it('lets owners and operators act', () => {
    expect(accessOf({ scope: 'LOCAL', ownerAccountId: 'acc-1' }, customer)).toBe('owner');
    expect(accessOf({ scope: 'GLOBAL', ownerAccountId: 'acc-1' }, customer)).toBe('owner');
    expect(
      accessOf({ scope: 'LOCAL', ownerAccountId: 'acc-2' }, { accountId: '', asOperator: true }),
    ).toBe('owner');
  });

  it('shows other customers GLOBAL entries but hides their LOCAL ones', () => {
    expect(accessOf({ scope: 'GLOBAL', ownerAccountId: 'acc-2' }, customer)).toBe('visible');
    expect(accessOf({ scope: 'GLOBAL', ownerAccountId: null }, customer)).toBe('visible');
    expect(accessOf({ scope: 'LOCAL', ownerAccountId: 'acc-2' }, customer)).toBe('hidden');
  });
});
