import type { ApiRequest } from './stages.js';

/** The API key a request carries, in whichever header it was sent. */
export function keyOf(headers: ApiRequest['headers']): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
  const other = headers['api-key'] ?? headers['x-goog-api-key'];
  return bearer ?? (typeof other === 'string' ? other : undefined);
}
