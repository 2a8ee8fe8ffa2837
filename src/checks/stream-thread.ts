/**
 * Long streams are digested on a worker thread as their bytes arrive: the SDK reads the stream on
 * the main thread while the other thread runs the stream pass (src/checks/stream-pass.ts) over
 * the same bytes, so by the stream's end its digest is ready and checking it costs the main
 * thread next to nothing. A stream stays on the main thread, digested when first checked, until
 * it passes THREAD_THRESHOLD bytes (fixture-size streams never start the thread), and whenever the
 * thread cannot start or fails.
 */
import { Worker } from 'node:worker_threads';
import type { WireResponse } from '../core/types.js';
import type { BodyObserver, CapturedCall } from '../transport/capture.js';
import { redactDeep } from '../transport/redact.js';
import { adoptDigest, type StreamDigest } from './stream-pass.js';

export const THREAD_THRESHOLD = 256 * 1024;
/** Bytes are sent to the thread in batches of this size (and the rest at the end). */
const BATCH = 64 * 1024;
/** How long after a stream's end its digest may take (the first one includes the thread's start). */
const ANSWER_WITHIN_MS = 10_000;

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
/** Streams sent to the thread, by id, waiting for their digest (undefined: digest on the main thread). */
const waiting = new Map<number, (digest: StreamDigest | undefined) => void>();

function settle(id: number, digest: StreamDigest | undefined): void {
  const done = waiting.get(id);
  waiting.delete(id);
  done?.(digest);
  // The thread keeps the process alive only while a stream waits for it.
  if (waiting.size === 0) worker?.unref();
}

function thread(): Worker | undefined {
  if (broken) return undefined;
  if (!worker) {
    const started = new Worker(new URL('./stream-thread.worker.mjs', import.meta.url));
    const fail = () => {
      broken = true;
      worker = undefined;
      for (const id of [...waiting.keys()]) settle(id, undefined);
    };
    started.on('message', (m: { id: number; digest?: StreamDigest }) => settle(m.id, m.digest));
    started.on('error', fail);
    started.on('exit', fail);
    worker = started;
  }
  return worker;
}

/** An observer for a response body that is an SSE stream (capture's `observe`), none for any other. */
export function observeStream(headers: Headers): BodyObserver | undefined {
  if (!headers.get('content-type')?.toLowerCase().includes('text/event-stream') || broken) return undefined;
  let resolve!: (digest: StreamDigest | undefined) => void;
  const result = new Promise<StreamDigest | undefined>((r) => (resolve = r));
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let seen = 0;
  let id: number | undefined;
  let off = false;
  const send = (extra: object = {}) => {
    // A copy of the batch in a memory of its own, handed over rather than cloned (undici's
    // buffers stay with the capture; a small batch shares Node's pool, which must stay here).
    const bytes = Buffer.concat(held);
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
    thread()?.postMessage({ id, bytes, ...extra }, own ? [bytes.buffer] : []);
    held = [];
    heldBytes = 0;
  };
  return {
    result,
    feed(chunk) {
      if (off) return;
      held.push(chunk);
      heldBytes += chunk.byteLength;
      seen += chunk.byteLength;
      if (id === undefined) {
        if (seen < THREAD_THRESHOLD) return;
        const w = thread();
        if (!w) {
          off = true;
          held = [];
          return resolve(undefined);
        }
        id = nextId++;
        waiting.set(id, resolve);
        w.ref();
      }
      if (heldBytes >= BATCH) send();
    },
    end() {
      if (off) return;
      if (id === undefined) return resolve(undefined);
      send({ end: true });
      // A thread that does not answer in time leaves the stream to the main thread: a run never waits on it for long.
      const stream = id;
      setTimeout(() => settle(stream, undefined), ANSWER_WITHIN_MS).unref();
    },
    abort() {
      if (id !== undefined && waiting.has(id)) {
        worker?.postMessage({ id, abort: true });
        settle(id, undefined);
      }
      off = true;
      held = [];
      resolve(undefined);
    },
  };
}

/**
 * The answer to a captured call, with the digest of its stream when one was made as it arrived
 * (from the raw bytes: secrets are redacted from it here, as they were from the body).
 */
export async function responseOf(call: CapturedCall, secrets: readonly string[]): Promise<WireResponse> {
  const response = await call.response;
  const digest = (await call.observed) as StreamDigest | undefined;
  if (digest) adoptDigest(response, redactDeep(digest, secrets));
  return response;
}
