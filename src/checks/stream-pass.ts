/**
 * One pass over a chat stream for every check that reads its chunks. A check declares a fold
 * (state made once per stream, a step per chunk, a summary at the end); the pass decodes the SSE
 * body once, parses each payload once, hands it to every fold and keeps nothing else of it. A
 * checked stream so holds its body and the folds' summaries, never its chunks, and adding a
 * stream check adds a step per chunk, not another walk over them.
 */
import type { Exchange, WireResponse } from '../core/types.js';
import { createSseDecoder, type SseEvent, type SseProblem } from '../sse/index.js';

/**
 * What one check gathers from the chunks of a stream. `S` is private to the fold; `R`, what
 * `finish` makes of it, is what the check reads: plain objects, arrays and values (it crosses
 * threads, and secrets are redacted from it).
 */
export interface ChunkFold<S, R> {
  /** Unique among the folds; names the summary in a {@link StreamDigest}. */
  name: string;
  init(): S;
  /**
   * A JSON payload before `[DONE]`: its value, the event's index in the stream, and its position
   * among the payloads that are JSON objects (the chunks a client handles; -1 for any other value).
   */
  step(state: S, value: unknown, event: number, chunk: number): void;
  /** An event after `[DONE]`, which the SDK never reads: its data, unparsed. */
  late?(state: S, data: string): void;
  finish(state: S): R;
}

/** How much of an unparseable payload a digest keeps, to show in a finding. */
const KEPT_DATA = 200;

/** What the SSE layer of a stream looked like: what wire.sse-framing and wire.sse-done judge. */
export interface SseSummary {
  events: number;
  problems: SseProblem[];
  /** Payloads that are no JSON: the event, its data (cut to 200 characters), the parse error. */
  badPayloads: { event: number; data: string; error: string }[];
  /** Payloads that are JSON (any value), and those that are JSON objects. */
  jsonPayloads: number;
  chunks: number;
  done: { seen: boolean; index?: number; trailing: number };
}

/** Everything the pass keeps of a stream: its SSE summary and each fold's summary by name. */
export interface StreamDigest {
  sse: SseSummary;
  folds: Record<string, unknown>;
}

const registered: ChunkFold<unknown, unknown>[] = [];

/** Declares a fold; every registered fold runs in the one pass over each stream. */
export function chunkFold<S, R>(fold: ChunkFold<S, R>): ChunkFold<S, R> {
  if (registered.some((f) => f.name === fold.name)) throw new Error(`two chunk folds are named "${fold.name}"`);
  registered.push(fold as ChunkFold<unknown, unknown>);
  return fold;
}

/** An incremental pass: bytes (or text) in as they arrive, the digest at the end. Not to be fed after `end()`. */
export interface StreamPass {
  feed(chunk: Uint8Array | string): void;
  end(): StreamDigest;
}

export function createStreamPass(folds: readonly ChunkFold<unknown, unknown>[] = registered): StreamPass {
  const decoder = createSseDecoder();
  const states = folds.map((f) => f.init());
  const sse: SseSummary = { events: 0, problems: [], badPayloads: [], jsonPayloads: 0, chunks: 0, done: { seen: false, trailing: 0 } };

  function take(events: SseEvent[]): void {
    for (const ev of events) {
      sse.events++;
      if (sse.done.seen) {
        sse.done.trailing++;
        for (let i = 0; i < folds.length; i++) folds[i]!.late?.(states[i], ev.data);
        continue;
      }
      // Only data exactly `[DONE]` ends the stream (the SDK accepts any data starting with it:
      // anything else is a payload that is no JSON here).
      if (ev.data === '[DONE]') {
        sse.done = { seen: true, index: ev.index, trailing: 0 };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(ev.data);
      } catch (error) {
        sse.badPayloads.push({ event: ev.index, data: ev.data.slice(0, KEPT_DATA), error: (error as Error).message });
        continue;
      }
      sse.jsonPayloads++;
      const chunk = value !== null && typeof value === 'object' ? sse.chunks++ : -1;
      for (let i = 0; i < folds.length; i++) folds[i]!.step(states[i], value, ev.index, chunk);
    }
  }

  return {
    feed: (chunk) => take(decoder.feed(chunk)),
    end() {
      const rest = decoder.end();
      take(rest.events);
      sse.problems = rest.problems;
      return { sse, folds: Object.fromEntries(folds.map((f, i) => [f.name, f.finish(states[i])])) };
    },
  };
}

/** Runs the pass over a whole body at once. */
export function digestStream(body: string | Uint8Array, folds?: readonly ChunkFold<unknown, unknown>[]): StreamDigest {
  const pass = createStreamPass(folds);
  pass.feed(body);
  return pass.end();
}

/** Digests by response: a digest is a function of the body alone, whichever exchange holds it. */
const digests = new WeakMap<WireResponse, StreamDigest>();

/** The digest of an exchange's stream, made on first use (or adopted from whoever read the stream as it came). */
export function streamDigest(exchange: Exchange): StreamDigest {
  const response = exchange.response;
  if (!response) return digestStream('');
  let digest = digests.get(response);
  if (!digest) {
    digest = digestStream(response.body);
    digests.set(response, digest);
  }
  return digest;
}

/** Takes the digest of a response's body made elsewhere (as the body arrived, on another thread); it must be of exactly that body. */
export function adoptDigest(response: WireResponse, digest: StreamDigest): void {
  digests.set(response, digest);
}

/** What one fold made of the exchange's stream. */
export function foldOf<R>(exchange: Exchange, fold: ChunkFold<unknown, R>): R {
  const digest = streamDigest(exchange);
  // A fold declared after this stream was digested (not so in a run: every check loads first) gets a pass of its own.
  if (!(fold.name in digest.folds)) digest.folds[fold.name] = digestStream(exchange.response?.body ?? '', [fold]).folds[fold.name];
  return digest.folds[fold.name] as R;
}
