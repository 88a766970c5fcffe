import { z } from 'zod';
import { addEntryBody } from '../block-list/block-list.query';
import { componentSchemas, jsonSchemaOf } from './openapi';
import { DAY_MS, exampleTime, periodFields } from './request-fields';

// The OpenAPI examples are computed when the document is built, so they never rot.

type Schema = { properties: Record<string, { example?: string }> };

const exampleOf = (schema: unknown, field: string): number => {
  const example = (schema as Schema).properties[field]?.example;
  expect(example).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
  return Date.parse(example!);
};

describe('OpenAPI example times', () => {
  it('puts from/to inside the 30-day window, from before to', () => {
    const period = jsonSchemaOf(z.object(periodFields()), 'input');
    const from = exampleOf(period, 'from');
    const to = exampleOf(period, 'to');
    expect(from).toBeLessThan(to);
    expect(from).toBeGreaterThan(Date.now() - 30 * DAY_MS);
    expect(to).toBeLessThanOrEqual(Date.now());
  });

  it('puts expiresAt in the future', () => {
    // A named schema: its body is the component the reference points at.
    expect(jsonSchemaOf(addEntryBody, 'input')).toEqual({
      $ref: '#/components/schemas/AddBlockListEntryRequest',
    });
    const body = componentSchemas()['AddBlockListEntryRequest'];
    expect(exampleOf(body, 'expiresAt')).toBeGreaterThan(Date.now() + 29 * DAY_MS);
  });

  it('rounds to whole hours relative to now', () => {
    const hourAgo = Date.parse(exampleTime(-3_600_000));
    expect(Date.now() - hourAgo).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.now() - hourAgo).toBeLessThan(7_200_000);
  });
});
