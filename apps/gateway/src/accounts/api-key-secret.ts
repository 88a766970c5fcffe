import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_ROLES = ['customer', 'operator'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isApiKeyRole(value: string): value is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(value);
}

export const KEY_ID_PATTERN = /^key_[0-9a-f]{24}$/;
export const ACCOUNT_ID_PATTERN = /^acc_[0-9a-f]{24}$/;

export function newAccountId(): string {
  return `acc_${randomBytes(12).toString('hex')}`;
}

export function newKeyId(): string {
  return `key_${randomBytes(12).toString('hex')}`;
}

/** 256 random bits, base64url: no '.' or ':' so both header forms can split on them. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * HMAC-SHA256 keyed by a per-key salt. The secret has 256 bits of entropy, so a slow hash
 * (scrypt) would add nothing against guessing and would let unauthenticated traffic burn CPU.
 */
export function hashSecret(secret: string, salt: string): string {
  return secretDigest(secret, Buffer.from(salt, 'hex')).toString('hex');
}

function secretDigest(secret: string, salt: Buffer): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, salt: string, storedHash: string): boolean {
  return secretMatchesDigest(secret, Buffer.from(salt, 'hex'), Buffer.from(storedHash, 'hex'));
}

/**
 * `secretMatches` with the salt and hash already decoded (as the API key cache holds them), so a
 * request pays the HMAC only, not two hex decodings and an encoding around it.
 */
export function secretMatchesDigest(secret: string, salt: Buffer, storedDigest: Buffer): boolean {
  const presented = secretDigest(secret, salt);
  return presented.length === storedDigest.length && timingSafeEqual(presented, storedDigest);
}
