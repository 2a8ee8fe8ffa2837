/** Headers that carry credentials or account identity: never stored, logged or reported. */
export const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'openai-organization',
  'openai-project',
  'cookie',
  'set-cookie',
];

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.includes(k.toLowerCase()) ? '[REDACTED]' : v]),
  );
}

/** Replaces every occurrence of each secret (e.g. the API key) in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  return out;
}
