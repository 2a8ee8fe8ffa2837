import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { WireRequest, WireResponse } from '../core/types.js';
import { redactHeaders } from './redact.js';

/** One request the SDK (or a raw call) made, with the raw answer once it has been read in full. */
export interface CapturedCall {
  request: WireRequest;
  /** Resolves when the whole body has arrived; rejects with the transport error otherwise. */
  response: Promise<WireResponse>;
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
 * A `fetch` for the openai SDK that sends through `dispatcher` and keeps a byte-exact copy
 * of every response (a tee of the body), so the wire checks see what the SDK saw.
 */
export function createCapturingFetch(dispatcher: Dispatcher, calls: CapturedCall[]): typeof fetch {
  const capturing = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const request: WireRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: redactHeaders(headers),
      body: describeBody(init?.body),
    };
    let settle!: (body: Promise<WireResponse>) => void;
    const response = new Promise<WireResponse>((resolve, reject) => {
      settle = (body) => void body.then(resolve, reject);
    });
    response.catch(() => undefined); // read by the runner; never an unhandled rejection
    calls.push({ request, response });
    try {
      const res = (await undiciFetch(url, { ...(init as object), dispatcher } as never)) as unknown as Response;
      const copy = res.clone();
      settle(
        copy.arrayBuffer().then((buf) => ({
          status: res.status,
          headers: redactHeaders(Object.fromEntries(res.headers.entries())),
          body: Buffer.from(buf).toString('utf8'),
        })),
      );
      return res;
    } catch (error) {
      settle(Promise.reject(error));
      throw error;
    }
  };
  return capturing as typeof fetch;
}
