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

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not worth searching for (and would scrub ordinary text). */
const MIN_SECRET_LENGTH = 8;

/**
 * The characters of `bytes` in base64 that depend on those bytes alone, for each of the three
 * alignments the secret can have inside a longer encoded text (e.g. `Basic base64(user:key)`).
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    return encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
  });
}

const formsCache = new Map<string, string[]>();

/** Every form a secret can be echoed in: raw, JSON-escaped, base64 (standard and URL-safe), percent-encoded. */
export function secretForms(secret: string): string[] {
  let forms = formsCache.get(secret);
  if (!forms) {
    const cores = base64Cores(Buffer.from(secret, 'utf8'));
    const base = [secret, JSON.stringify(secret).slice(1, -1), ...cores, ...cores.map((c) => c.replace(/\+/g, '-').replace(/\//g, '_'))];
    const encoded = base.flatMap((f) => {
      const pct = encodeURIComponent(f);
      return [pct, pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())];
    });
    // Longest first, so a longer form is replaced whole before a shorter one inside it.
    forms = [...new Set([...base, ...encoded])].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    formsCache.set(secret, forms);
  }
  return forms;
}

export function redactHeaders(headers: Record<string, string>, secrets: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.includes(k.toLowerCase()) ? REDACTED : redactSecrets(v, secrets)]),
  );
}

/** Replaces every occurrence of each secret (e.g. the API key), in any of its forms, in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** A copy of a JSON-like value with every string redacted (keys included). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k, secrets), redactDeep(v, secrets)])) as T;
  }
  return value;
}
