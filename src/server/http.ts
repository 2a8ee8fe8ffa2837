import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { BytesReply, JsonReply, Obj, Reply, SseReply } from './stages.js';

export const json = (body: unknown, status = 200): JsonReply => ({ kind: 'json', status, body });
export const sse = (chunks: Obj[]): SseReply => ({ kind: 'sse', status: 200, chunks, done: true, eventEnd: '\n\n' });
export const bytes = (body: Buffer, contentType: string): BytesReply => ({ kind: 'bytes', status: 200, body, contentType });

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Resolves when the client closes the connection or the server closes. */
function untilAbandoned(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || res.destroyed) return resolve();
    res.once('close', () => resolve());
    signal.addEventListener('abort', () => (res.destroy(), resolve()), { once: true });
  });
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
  if (reply.resetBeforeHeaders) return void res.destroy();
  if (reply.withholdHeaders) return untilAbandoned(res, signal);
  const headers = { ...reply.headers };
  if (reply.kind === 'sse') {
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    const events = reply.chunks.map((c) => `data: ${JSON.stringify(c)}${reply.eventEnd}`);
    if (reply.done) events.push(`data: [DONE]${reply.eventEnd}`);
    if (reply.trailer) events.push(reply.trailer);
    for (const [i, event] of events.entries()) {
      if (i === reply.truncateAfter) return void res.destroy();
      if (i === reply.stallAfter) return untilAbandoned(res, signal);
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
