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

/**
 * The forms a secret takes in transit: raw, percent-encoded, and base64 / base64url, including
 * the characters it contributes when it is encoded inside a longer text (`Basic base64(user:key)`),
 * where the first and last few characters depend on its neighbours and the stable middle does not.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.from('\0'.repeat(shift) + secret, 'utf8').toString('base64');
    const stable = encoded.slice(shift === 0 ? 0 : 4, 4 * Math.floor((shift + Buffer.byteLength(secret)) / 3));
    forms.add(stable);
    forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length >= 8);
}

/** Replaces every occurrence of each secret (e.g. the API key), in any of its {@link secretForms}, in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    for (const form of secretForms(secret)) out = out.split(form).join('[REDACTED]');
  }
  return out;
}
