import { isObject } from '../params.js';
import type { JsonReply, Obj, Reply, SseReply } from '../stages.js';

// Small helpers the faults of every stage share.

export const onJson = (f: (r: JsonReply) => Reply) => (r: Reply) => (r.kind === 'json' ? f(r) : r);
export const onSse = (f: (r: SseReply) => Reply) => (r: Reply) => (r.kind === 'sse' ? f(r) : r);
/** Only the successful JSON replies of one operation (e.g. `models.retrieve`). */
export const onOk = (op: string, f: (r: JsonReply) => Reply) => (r: Reply, at: string) => (at === op && r.kind === 'json' && r.status === 200 ? f(r) : r);

/** Apply `f` to every JSON value a reply carries: the body, or each stream chunk. */
export function mapPayloads(r: Reply, f: (value: unknown) => unknown): Reply {
  if (r.kind === 'json') return { ...r, body: f(r.body) };
  if (r.kind === 'sse') return { ...r, chunks: r.chunks.map((c) => f(c) as Obj) };
  return r;
}

export const DROP = Symbol('drop');
/** Rebuild a JSON value bottom-up; `visit` may replace or DROP each object member. */
export function walk(value: unknown, visit: (key: string, value: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, visit));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => {
      const out = visit(k, walk(v, visit));
      return out === DROP ? [] : [[k, out]];
    }),
  );
}

export const isUsageChunk = (c: Obj) => Array.isArray(c.choices) && c.choices.length === 0 && c.usage != null;

/** `o` without the given keys. */
export const omitKeys = (o: Obj, ...keys: string[]): Obj => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !keys.includes(k)));
