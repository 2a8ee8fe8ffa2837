import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { ServerContext } from './context.js';

/**
 * What a handler answers, before faults transform it and `writeReply` serialises it. The
 * optional fields exist for faults: each one is a deviation the writer knows how to produce.
 */
interface ReplyBase {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}
export interface JsonReply extends ReplyBase {
  kind: 'json';
  body: unknown;
  contentType?: string;
  /** Send only the first half of the serialised body. */
  cutInHalf?: boolean;
}
export interface SseReply extends ReplyBase {
  kind: 'sse';
  chunks: Record<string, unknown>[];
  contentType?: string;
  /** Whether `data: [DONE]` ends the stream. */
  done: boolean;
  /** What ends each event: a blank line on the wire is `\n\n`. */
  eventEnd: string;
  /** Destroy the socket after this many events. */
  truncateAfter?: number;
}
export interface BytesReply extends ReplyBase {
  kind: 'bytes';
  body: Buffer;
  contentType: string;
}
export type Reply = JsonReply | SseReply | BytesReply;

export const json = (body: unknown, status = 200): JsonReply => ({ kind: 'json', status, body });
export const sse = (chunks: Record<string, unknown>[]): SseReply => ({ kind: 'sse', status: 200, chunks, done: true, eventEnd: '\n\n' });
export const bytes = (body: Buffer, contentType: string): BytesReply => ({ kind: 'bytes', status: 200, body, contentType });

/** One request, as handlers and request faults see it. `path` is relative to /v1. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The parsed JSON body; undefined when there is none or it does not parse (see `invalidJson`). */
  json: unknown;
  invalidJson: boolean;
  authorized: boolean;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Path relative to /v1; `:name` segments are parameters. */
  path: string;
  /** Operation name, e.g. `chat.completions`; faults use it to pick the replies they change. */
  op: string;
  /** Reachable without an API key. */
  public?: boolean;
  handle(req: ApiRequest, params: Record<string, string>, ctx: ServerContext): Reply | Promise<Reply>;
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (route.method !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (!p.startsWith(':')) return p === segments[i];
      params[p.slice(1)] = safeDecode(segments[i]);
      return segments[i] !== '';
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Serialise a reply. Resolves when the response is finished or abandoned. */
export async function writeReply(res: ServerResponse, reply: Reply, signal: AbortSignal): Promise<void> {
  if (reply.delayMs) {
    try {
      await sleep(reply.delayMs, undefined, { signal });
    } catch {
      return; // server closing
    }
  }
  const headers = { ...reply.headers };
  if (reply.kind === 'sse') {
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    const events = reply.chunks.map((c) => `data: ${JSON.stringify(c)}${reply.eventEnd}`);
    if (reply.done) events.push(`data: [DONE]${reply.eventEnd}`);
    for (const [i, event] of events.entries()) {
      if (i === reply.truncateAfter) return void res.destroy();
      if (res.destroyed) return;
      await new Promise((resolve) => res.write(event, resolve));
      await nextTurn(); // one event per TCP write, as a real generator would send them
    }
    res.end();
    return;
  }
  let body: Buffer;
  let contentType: string;
  if (reply.kind === 'json') {
    const text = JSON.stringify(reply.body);
    body = Buffer.from(reply.cutInHalf ? text.slice(0, Math.floor(text.length / 2)) : text);
    contentType = reply.contentType ?? 'application/json';
  } else {
    body = reply.body;
    contentType = reply.contentType;
  }
  res.writeHead(reply.status, { 'content-type': contentType, 'content-length': String(body.length), ...headers });
  res.end(body);
}
