import { createHash } from 'node:crypto';

/** The `created` / `created_at` of everything the reference server makes: 2025-01-01T00:00:00Z. */
export const CREATED = 1_735_689_600;

/** Hex SHA-256 of the parts, joined by NUL. */
export function hashOf(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => h.update(i ? '\0' : '').update(p));
  return h.digest('hex');
}

/** A stable id: the prefix and the first 24 hex digits of the parts' hash. */
export function idFrom(prefix: string, ...parts: (string | Uint8Array)[]): string {
  return prefix + hashOf(...parts).slice(0, 24);
}

/** Token count the reference server reports: one token per four characters, rounded up. */
export function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}
