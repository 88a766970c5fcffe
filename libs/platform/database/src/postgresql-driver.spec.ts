import { Client } from 'pg';
import { escapeStringLiteral } from './postgresql-driver';

describe('escapeStringLiteral', () => {
  it.each([
    ['', "''"],
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['back\\slash', " E'back\\\\slash'"],
    ["both ' and \\", " E'both '' and \\\\'"],
    ['{"a","b\\"c",NULL}', ` E'{"a","b\\\\"c",NULL}'`],
    ['中文 ünïcode ✓', "'中文 ünïcode ✓'"],
    ['new\nline\ttab', "'new\nline\ttab'"],
  ])('escapes %j as pg does', (value, expected) => {
    expect(escapeStringLiteral(value)).toBe(expected);
    expect(escapeStringLiteral(value)).toBe(Client.prototype.escapeLiteral(value));
  });

  it('matches pg on a large JSON batch parameter', () => {
    const json = JSON.stringify(
      Array.from({ length: 500 }, (_, i) => ({ id: `m-${i}`, text: `it's \\ "${i}"` })),
    );
    expect(escapeStringLiteral(json)).toBe(Client.prototype.escapeLiteral(json));
  });
});
