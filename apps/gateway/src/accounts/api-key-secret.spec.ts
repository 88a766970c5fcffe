import {
  ACCOUNT_ID_PATTERN,
  hashSecret,
  KEY_ID_PATTERN,
  newAccountId,
  newKeyId,
  newSalt,
  newSecret,
  secretMatches,
} from './api-key-secret';

describe('API key secrets', () => {
  it('makes ids and secrets both header forms can carry', () => {
    expect(newKeyId()).toMatch(KEY_ID_PATTERN);
    expect(newAccountId()).toMatch(ACCOUNT_ID_PATTERN);
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(secret);
  });

  it('stores a salted hash that only the right secret matches', () => {
    const secret = newSecret();
    const salt = newSalt();
    const hash = hashSecret(secret, salt);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, salt, hash)).toBe(true);
    expect(secretMatches(`${secret}x`, salt, hash)).toBe(false);
    expect(secretMatches(secret, newSalt(), hash)).toBe(false);
    // The same secret under another salt hashes differently.
    expect(hashSecret(secret, newSalt())).not.toBe(hash);
  });

  it('refuses a stored hash of the wrong length without throwing', () => {
    expect(secretMatches('s', newSalt(), 'abcd')).toBe(false);
  });
});
