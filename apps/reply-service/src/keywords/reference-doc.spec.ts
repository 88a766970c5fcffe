import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_RESUBSCRIBE_KEYWORDS, DEFAULT_UNSUBSCRIBE_KEYWORDS } from '../config';

// docs/reference.md lists the default keyword lists for people; this keeps it equal to the code.
describe('docs/reference.md matches the default keyword lists', () => {
  const reference = readFileSync(resolve(__dirname, '../../../../docs/reference.md'), 'utf8');
  const listed = (effect: string) => {
    const row = reference.split('\n').find((line) => line.startsWith(`| ${effect} |`));
    if (!row) throw new Error(`docs/reference.md has no "${effect}" keyword row`);
    return [...row.split('|')[2].matchAll(/`([^`]+)`/g)].map((match) => match[1]).join(',');
  };

  it('lists the unsubscribe keywords', () => {
    expect(listed('unsubscribe')).toBe(DEFAULT_UNSUBSCRIBE_KEYWORDS);
  });

  it('lists the resubscribe keywords', () => {
    expect(listed('resubscribe')).toBe(DEFAULT_RESUBSCRIBE_KEYWORDS);
  });
});
