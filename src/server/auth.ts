/**
 * Bearer-token authentication of the API. The token is random per `floe run` start and lives only in
 * `.floe/server.json` (mode 0600): whoever can read the project's state folder may use the live engine.
 * Comparison is constant-time over SHA-256 digests, so neither content nor length leaks through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newToken = (): string => randomBytes(32).toString('base64url');

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the `Authorization` header value is `Bearer <token>` for exactly this token. */
export function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  // Compare even when the header is malformed, so a bad header takes as long as a wrong token.
  const given = m?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && m !== null;
}
