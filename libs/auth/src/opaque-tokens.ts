import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret as a client holds it: `<id>.<secret>`; we store only sha256(secret). */
export interface OpaqueToken {
  id: string;
  secret: string;
  value: string;
  hash: string;
}

/** 256 random bits, URL-safe. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function issueOpaqueToken(id: string): OpaqueToken {
  const secret = randomSecret();
  return { id, secret, value: `${id}.${secret}`, hash: sha256(secret) };
}

export function parseOpaqueToken(value: string): { id: string; secret: string } | null {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) return null;
  return { id: value.slice(0, dot), secret: value.slice(dot + 1) };
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
