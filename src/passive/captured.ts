import type { ResultSource, WireRequest, WireResponse } from '../core/types.js';
import type { Operation } from '../fixtures/load.js';

/**
 * One exchange as a capture holds it (HAR entry, recording, batch output line, proxied call),
 * before it becomes an {@link Exchange} for the checks. Header names are lower case.
 */
export interface CapturedExchange {
  source: ResultSource;
  /** Absent for a batch output line: it answers a request that is not in the file. */
  request?: WireRequest;
  /** The operation, when no request says it (a batch output line is a line of `files.content`). */
  operation?: Operation;
  /** Absent when the capture holds no answer (the proxy saw the upstream fail). */
  response?: WireResponse;
  /** The recorder kept no real request (a stand-in method and URL, no headers, no body). */
  requestSynthesized?: boolean;
  /** The recorder lost the SSE framing (lines re-framed after the fact, `[DONE]` gone). */
  framingLost?: boolean;
  /** The recorder kept the status and headers but not the response body (a HAR saved without content). */
  bodyLost?: boolean;
  /** Why the capture is cut short through no fault of the endpoint (the client hung up): not judged. */
  incomplete?: string;
  /** What went wrong on the way, when there is no response. */
  transportError?: string;
  startedAt?: string;
  durationMs: number;
}

/** Lower-cased header names; repeated headers joined as HTTP does. */
export function headerRecord(headers: Iterable<[string, string | string[] | undefined]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  }
  return out;
}
