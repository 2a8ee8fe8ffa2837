import type { AuthStyle, Family, ResolvedTarget } from './load.js';

/**
 * How requests to a target are made: the headers that carry the key (per auth style) and the
 * target's own headers, and which base URL serves an operation family. Values read from the
 * environment are returned as secrets too, so they are redacted wherever the key is.
 */
export function targetHeaders(target: Pick<ResolvedTarget, 'authStyle' | 'headers'>, apiKey: string): { headers: Record<string, string | null>; secrets: string[] } {
  const secrets: string[] = [];
  const headers: Record<string, string | null> = { ...authHeaders(target.authStyle, apiKey) };
  for (const [name, value] of Object.entries(target.headers)) {
    if (typeof value === 'string') {
      headers[name] = value;
    } else {
      const fromEnv = process.env[value.env];
      if (fromEnv) {
        headers[name] = fromEnv;
        secrets.push(fromEnv);
      }
    }
  }
  return { headers, secrets };
}

/** The headers of an auth style; `null` removes the SDK's own Authorization header. */
function authHeaders(style: AuthStyle, apiKey: string): Record<string, string | null> {
  if (style === 'api-key') return { authorization: null, 'api-key': apiKey };
  if (style === 'x-goog-api-key') return { authorization: null, 'x-goog-api-key': apiKey };
  return { authorization: `Bearer ${apiKey}` };
}

const FAMILIES: Family[] = ['models', 'chat', 'embeddings', 'images', 'files', 'batches'];

/** The URL a request goes to: under the family's own base URL when the target gives one. */
export function routeUrl(target: Pick<ResolvedTarget, 'baseUrl' | 'baseUrls'>, url: string): string {
  if (!url.startsWith(`${target.baseUrl}/`)) return url;
  const rest = url.slice(target.baseUrl.length);
  const family = FAMILIES.find((f) => rest === `/${f}` || rest.startsWith(`/${f}/`) || rest.startsWith(`/${f}?`));
  const base = family ? target.baseUrls[family] : undefined;
  return base ? base + rest : url;
}

/** Environment variables whose values a target sends (auth.env aside). */
export function headerEnvVars(target: Pick<ResolvedTarget, 'headers'>): string[] {
  return Object.values(target.headers).flatMap((v) => (typeof v === 'string' ? [] : [v.env]));
}
