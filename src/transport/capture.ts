import { createHash } from 'node:crypto';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { WireRequest, WireResponse } from '../core/types.js';
import { BudgetSpentError, type RequestBudget } from './budget.js';
import { redactHeaders, redactSecrets } from './redact.js';

/** One request the SDK (or a raw call) made, with the raw answer once it has been read in full. */
export interface CapturedCall {
  request: WireRequest;
  /** Resolves when the whole body has arrived; rejects with the transport error otherwise. */
  response: Promise<WireResponse>;
  /** What the body's observer made of it (see createCapturingFetch's `observe`), when one watched it. */
  observed?: Promise<unknown>;
}

/** Sees the bytes of a response as they arrive, beside the SDK, and makes something of them. */
export interface BodyObserver {
  feed(chunk: Uint8Array): void;
  /** The body arrived whole. */
  end(): void;
  /** The body did not arrive whole (cut off, cancelled by the SDK, failed). */
  abort(): void;
  result: Promise<unknown>;
}

function describeBody(body: unknown): string | undefined {
  if (body == null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof FormData) {
    const parts = [...body.entries()].map(([k, v]) => (typeof v === 'string' ? `${k}=${v}` : `${k}=<file ${v.name}, ${v.size} bytes>`));
    return `multipart/form-data: ${parts.join('; ')}`;
  }
  return `<${Object.prototype.toString.call(body)}>`;
}

/**
 * The SDK builds uploads with the global FormData. We encode it ourselves, with a boundary
 * derived from the content: undici's fetch would pick a random boundary (so a recorded upload
 * could never match on replay), and under undici 7's SnapshotAgent it sends a body whose
 * boundary differs from the one in its Content-Type header.
 */
async function encodeMultipart(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const parts: { head: string; data: Buffer }[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      parts.push({ head: `Content-Disposition: form-data; name="${name}"`, data: Buffer.from(value, 'utf8') });
    } else {
      const head = `Content-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type || 'application/octet-stream'}`;
      parts.push({ head, data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part.head).update(part.data);
  const boundary = `oai-compat-${hash.digest('hex').slice(0, 32)}`;
  const chunks = parts.flatMap((p) => [Buffer.from(`--${boundary}\r\n${p.head}\r\n\r\n`), p.data, Buffer.from('\r\n')]);
  return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * How much of one response body is kept for the checks. A larger body (an endpoint that sends
 * 50 MB) is cut off there: neither the checks nor the SDK get more, so memory stays flat.
 */
export const MAX_KEPT_BYTES = 8 * 1024 * 1024;

interface Captured {
  text: string;
  /** Set when the body was cut off at MAX_KEPT_BYTES: its size as declared (Content-Length), else what was read. */
  fullBytes?: number;
}

/**
 * The body as the SDK reads it, passed through chunk by chunk as it arrives (no buffering:
 * streams stay streams), its first MAX_KEPT_BYTES kept for the checks. Past that the
 * body is cut off: the SDK's read fails, the rest is never downloaded.
 */
function passThrough(res: Response, observer?: BodyObserver): { body: ReadableStream<Uint8Array> | null; captured: Promise<Captured> } {
  if (!res.body) return { body: null, captured: Promise.resolve({ text: '' }) };
  const reader = res.body.getReader();
  const kept: Uint8Array[] = [];
  let bytes = 0;
  let settle!: (c: Captured) => void;
  let fail!: (e: unknown) => void;
  const captured = new Promise<Captured>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const text = () => Buffer.concat(kept).toString('utf8');
  const declared = Number(res.headers.get('content-length'));
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          observer?.end();
          settle({ text: text() });
          controller.close();
          return;
        }
        if (bytes + value.byteLength > MAX_KEPT_BYTES) {
          kept.push(Buffer.from(value.subarray(0, MAX_KEPT_BYTES - bytes)));
          bytes += value.byteLength;
          observer?.abort();
          settle({ text: text(), fullBytes: Number.isFinite(declared) && declared > bytes ? declared : bytes });
          void reader.cancel().catch(() => undefined);
          controller.error(new Error(`the response body is larger than the ${MAX_KEPT_BYTES} bytes oai-compat reads of an exchange`));
          return;
        }
        bytes += value.byteLength;
        // undici hands out each read in a buffer of its own, never reused or transferred: kept as is, uncopied.
        kept.push(value);
        controller.enqueue(value);
        observer?.feed(value);
      } catch (error) {
        observer?.abort();
        fail(error);
        controller.error(error);
      }
    },
    // The SDK stopped reading (it threw, or the stream was left): what came so far is the capture.
    cancel(reason) {
      observer?.abort();
      settle({ text: text() });
      return reader.cancel(reason);
    },
  });
  return { body, captured };
}

/**
 * A `fetch` for the openai SDK that sends through `dispatcher` and keeps a byte-exact copy
 * of every response (a tee of the body), so the wire checks see what the SDK saw. `secrets`
 * are redacted from what is kept (an endpoint may echo the key in a header, a URL or a body).
 */
export function createCapturingFetch(
  dispatcher: Dispatcher,
  calls: CapturedCall[],
  opts: {
    secrets?: readonly string[];
    /** Where a URL really goes (a target may serve an operation family under another base URL). */
    route?: (url: string) => string;
    /** --max-requests: once spent, requests are not sent (BudgetSpentError). */
    budget?: RequestBudget;
    /** Picks an observer for a response's body (by its headers), or none. */
    observe?: (headers: Headers) => BodyObserver | undefined;
  } = {},
): typeof fetch {
  const { secrets = [], route = (url: string) => url, budget, observe } = opts;
  const capturing = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = route(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (budget && !budget.take()) throw new BudgetSpentError(budget.max);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const request: WireRequest = {
      method: init?.method ?? 'GET',
      url: redactSecrets(url, secrets),
      headers: redactHeaders(headers, secrets),
      body: describeBody(init?.body),
    };
    let settle!: (body: Promise<WireResponse>) => void;
    const response = new Promise<WireResponse>((resolve, reject) => {
      settle = (body) => void body.then(resolve, reject);
    });
    response.catch(() => undefined); // read by the runner; never an unhandled rejection
    const call: CapturedCall = { request, response };
    calls.push(call);
    try {
      let body: unknown = init?.body;
      if (body instanceof FormData) {
        const encoded = await encodeMultipart(body);
        body = encoded.body;
        headers['content-type'] = encoded.contentType;
      }
      const res = (await undiciFetch(url, { ...(init as object), headers, body, dispatcher } as never)) as unknown as Response;
      const observer = res.body ? observe?.(res.headers) : undefined;
      if (observer) call.observed = observer.result;
      const through = passThrough(res, observer);
      settle(
        through.captured.then(({ text, fullBytes }) => ({
          status: res.status,
          headers: redactHeaders(Object.fromEntries(res.headers.entries()), secrets),
          body: redactSecrets(text, secrets),
          ...(fullBytes !== undefined ? { fullBytes } : {}),
        })),
      );
      const passed = new Response(through.body, { status: res.status, statusText: res.statusText, headers: res.headers });
      Object.defineProperty(passed, 'url', { value: res.url });
      return passed;
    } catch (error) {
      settle(Promise.reject(error));
      throw error;
    }
  };
  // The SDK probes `fetch.Response` to see whether uploads will work; they do, through encodeMultipart.
  return Object.assign(capturing, { Response: globalThis.Response }) as typeof fetch;
}
