import { isStoreUnavailable } from './replies.errors';

describe('isStoreUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '08006' }, true],
    [{ code: '57P01' }, true],
    [{ code: '53300' }, true],
    [new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), true],
    [{ code: '23505' }, false],
    [{ code: '42P01' }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%p → %p', (error, expected) => {
    expect(isStoreUnavailable(error)).toBe(expected);
  });
});
