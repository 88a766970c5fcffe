import { DomainError, InvalidArgumentError, NotFoundError } from './domain-error';

class EntryNotFoundError extends NotFoundError {}

describe('DomainError', () => {
  it('carries its code and the subclass name', () => {
    const error = new EntryNotFoundError('entry e1 not found');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.name).toBe('EntryNotFoundError');
    expect(error.message).toBe('entry e1 not found');
  });

  it('distinguishes codes', () => {
    expect(new InvalidArgumentError('x').code).toBe('INVALID_ARGUMENT');
  });
});
