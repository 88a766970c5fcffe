import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodeCatalogue } from './send-failure-codes';
import {
  FINAL_STATUSES,
  MESSAGE_STATUSES,
  PROCESS_FAILED_REASON_DESCRIPTIONS,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
} from './statuses';

// docs/reference.md explains the catalogue to people; these tests keep it equal to the code.
const reference = readFileSync(resolve(__dirname, '../../../../docs/reference.md'), 'utf8');

/** The body rows of the Markdown table under `## heading`, as trimmed cells. */
function tableUnder(heading: string): string[][] {
  const section = reference.split(/^## /m).find((part) => part.startsWith(heading));
  if (!section) throw new Error(`docs/reference.md has no section "${heading}"`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

function seconds(text: string): number {
  const match = /^(\d+) (s|hours?|days?)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration`);
  const unit = { s: 1, hour: 3600, hours: 3600, day: 86400, days: 86400 }[match[2]]!;
  return Number(match[1]) * unit;
}

describe('docs/reference.md matches the catalogue', () => {
  it('lists every status with whether it is final', () => {
    expect(tableUnder('Message statuses').map(([name, , final]) => [name, final])).toEqual(
      MESSAGE_STATUSES.map((status) => [status, FINAL_STATUSES.has(status) ? 'yes' : 'no']),
    );
  });

  it('lists the process-failed reasons in precedence order, with their meaning', () => {
    expect(tableUnder('Process-failed reasons').map(([name, meaning]) => [name, meaning])).toEqual(
      PROCESS_FAILED_REASONS_BY_PRECEDENCE.map((name) => [
        name,
        PROCESS_FAILED_REASON_DESCRIPTIONS[name],
      ]),
    );
  });

  it('gives every send-failure code its name, meaning, default time and scope', () => {
    expect(
      tableUnder('Send-failure codes').map(([code, name, meaning, time, scope]) => ({
        code: Number(code),
        name,
        meaning,
        seconds: seconds(time),
        scope,
      })),
    ).toEqual(
      new CodeCatalogue().all().map((rule) => ({
        code: rule.code,
        name: rule.name,
        meaning: rule.description,
        seconds: rule.durationSeconds,
        scope: rule.blocks ? rule.scope : '—',
      })),
    );
  });
});
