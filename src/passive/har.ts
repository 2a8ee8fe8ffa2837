import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { ConfigError } from '../core/errors.js';
import { REDACTED, redactHeaders, redactSecrets } from '../transport/redact.js';
import { headerRecord, type CapturedExchange } from './captured.js';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) in and out: one captured exchange
 * per `log.entries` item. Browsers, Playwright, mitmproxy and Charles all write it; the proxy
 * and `run --mode record --har` write it too, so what they saw goes back through `validate`.
 */

interface HarHeader {
  name: string;
  value: string;
}

interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request: { method: string; url: string; headers?: HarHeader[]; postData?: { mimeType?: string; text?: string; params?: { name: string; value?: string; fileName?: string }[] } };
  response: { status: number; headers?: HarHeader[]; content?: { mimeType?: string; text?: string; encoding?: string; size?: number }; _error?: string };
  /** Flags of the recorders that made ../shared/recordings/har (see its README). */
  _synthesizedRequest?: boolean;
  _framingStripped?: boolean;
}

const GZIP = [0x1f, 0x8b];

/**
 * `content.text` as text: base64 decoded when the entry says so, and decompressed when the
 * recorder kept the compressed bytes (HAR says decoded, some tools store them as sent).
 */
function contentText(content: NonNullable<HarEntry['response']['content']>, contentEncoding: string | undefined): string {
  const text = content.text ?? '';
  if (content.encoding !== 'base64') return text;
  const bytes = Buffer.from(text, 'base64');
  const decoders: ((b: Buffer) => Buffer)[] = [];
  if (bytes[0] === GZIP[0] && bytes[1] === GZIP[1]) decoders.push(gunzipSync);
  else if (/\bbr\b/.test(contentEncoding ?? '')) decoders.push(brotliDecompressSync);
  else if (/\bdeflate\b/.test(contentEncoding ?? '')) decoders.push(inflateSync);
  for (const decode of decoders) {
    try {
      return decode(bytes).toString('utf8');
    } catch {
      // Not compressed after all: the bytes are the body.
    }
  }
  return bytes.toString('utf8');
}

function requestBody(postData: HarEntry['request']['postData']): string | undefined {
  if (!postData) return undefined;
  if (typeof postData.text === 'string' && postData.text !== '') return postData.text;
  if (postData.params?.length) {
    const parts = postData.params.map((p) => (p.fileName ? `${p.name}=<file ${p.fileName}>` : `${p.name}=${p.value ?? ''}`));
    return `${postData.mimeType ?? 'multipart/form-data'}: ${parts.join('; ')}`;
  }
  return undefined;
}

function fail(file: string, where: string, problem: string): never {
  throw new ConfigError(`Failed to read HAR file ${file}: ${where} ${problem}. Export the traffic again as HAR 1.2 (log.entries[] with request and response).`);
}

function checkEntry(file: string, entry: unknown, i: number): asserts entry is HarEntry {
  const at = `log.entries[${i}]`;
  if (!entry || typeof entry !== 'object') fail(file, at, 'is not an object');
  const { request, response } = entry as Partial<HarEntry>;
  if (!request || typeof request.method !== 'string' || typeof request.url !== 'string') fail(file, `${at}.request`, 'needs a method and a url');
  if (!URL.canParse(request.url)) fail(file, `${at}.request.url`, `is not a URL (${JSON.stringify(request.url)})`);
  if (!response || typeof response.status !== 'number') fail(file, `${at}.response.status`, 'is missing');
  if (response.content?.text !== undefined && typeof response.content.text !== 'string') fail(file, `${at}.response.content.text`, 'is not a string');
}

/** Parses a HAR document. Throws a ConfigError naming the file and the field when it is not HAR. */
export function parseHar(text: string, file: string): CapturedExchange[] {
  let doc: { log?: { entries?: unknown } };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (error) {
    throw new ConfigError(`Failed to read HAR file ${file}: not JSON (${(error as Error).message}).`);
  }
  const entries = doc?.log?.entries;
  if (!Array.isArray(entries)) fail(file, 'log.entries', 'is missing (not a HAR file?)');
  return entries.map((entry: unknown, i): CapturedExchange => {
    checkEntry(file, entry, i);
    const { request, response } = entry;
    const headers = headerRecord((response.headers ?? []).map((h) => [h.name, h.value]));
    // HAR keeps the MIME type beside the headers; some exporters only there.
    if (headers['content-type'] === undefined && response.content?.mimeType) headers['content-type'] = response.content.mimeType;
    const body = requestBody(request.postData);
    return {
      source: { file, entry: i },
      request: {
        method: request.method.toUpperCase(),
        url: request.url,
        headers: headerRecord((request.headers ?? []).map((h) => [h.name, h.value])),
        ...(body !== undefined ? { body } : {}),
      },
      // Status 0 is how browsers (and toHar) write a request that got no answer.
      ...(response.status === 0
        ? { transportError: response._error ?? 'no response was recorded (status 0)' }
        : { response: { status: response.status, headers, body: contentText(response.content ?? {}, headers['content-encoding']) } }),
      // No text where the size says there was a body: exported without content.
      ...(response.status !== 0 && response.content?.text === undefined && response.content?.size !== 0 ? { bodyLost: true } : {}),
      ...(entry._synthesizedRequest ? { requestSynthesized: true } : {}),
      ...(entry._framingStripped ? { framingLost: true } : {}),
      ...(entry.startedDateTime ? { startedAt: entry.startedDateTime } : {}),
      durationMs: typeof entry.time === 'number' && entry.time >= 0 ? entry.time : 0,
    };
  });
}

/** A URL without the values of its credential parameters (`key=`, `api_key=`, ...). */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  for (const name of [...parsed.searchParams.keys()]) {
    if (/^(key|api[-_]?key|access[-_]?token|token)$/i.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.href;
}

const harHeaders = (headers: Record<string, string>, secrets: readonly string[]): HarHeader[] =>
  Object.entries(redactHeaders(headers, secrets)).map(([name, value]) => ({ name, value }));

/**
 * A HAR 1.2 document of `captured`, with credential headers and query parameters blanked and
 * every secret removed wherever it appears (headers, URLs, bodies), raw or encoded.
 */
export function toHar(captured: readonly CapturedExchange[], creator: { name: string; version: string }, secrets: readonly string[]): string {
  const entries = captured.flatMap((c) => {
    if (!c.request) return [];
    const request = c.request;
    const response = c.response;
    const query = [...new URL(request.url).searchParams.entries()];
    const url = redactSecrets(redactUrl(request.url), secrets);
    const reqBody = request.body === undefined ? undefined : redactSecrets(request.body, secrets);
    const resBody = response ? redactSecrets(response.body, secrets) : '';
    return [
      {
        startedDateTime: c.startedAt ?? new Date(0).toISOString(),
        time: c.durationMs,
        request: {
          method: request.method,
          url,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: harHeaders(request.headers, secrets),
          queryString: query.map(([name]) => ({ name, value: new URL(url).searchParams.get(name) ?? '' })),
          ...(reqBody !== undefined ? { postData: { mimeType: request.headers['content-type'] ?? 'application/json', text: reqBody } } : {}),
          headersSize: -1,
          bodySize: reqBody === undefined ? 0 : Buffer.byteLength(reqBody),
        },
        response: {
          // HAR has no "no response": status 0 is what browsers write for a failed request.
          status: response?.status ?? 0,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: response ? harHeaders(response.headers, secrets) : [],
          content: { size: Buffer.byteLength(resBody), mimeType: response?.headers['content-type'] ?? '', text: resBody },
          redirectURL: '',
          headersSize: -1,
          bodySize: Buffer.byteLength(resBody),
          ...(c.transportError ? { _error: redactSecrets(c.transportError, secrets) } : {}),
        },
        cache: {},
        timings: { send: 0, wait: c.durationMs, receive: 0 },
        ...(c.framingLost ? { _framingStripped: true } : {}),
      },
    ];
  });
  const doc = { log: { version: '1.2', creator, entries } };
  return redactSecrets(JSON.stringify(doc, null, 2), secrets) + '\n';
}
