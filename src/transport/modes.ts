import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, Dispatcher, SnapshotAgent } from 'undici';
import type { Mode } from '../core/types.js';
import { redactSecrets, SECRET_HEADERS } from './redact.js';

/**
 * The three transport modes, one dispatcher each (under the openai SDK and raw requests alike):
 *
 * | mode   | network | recording                                                     |
 * |--------|---------|---------------------------------------------------------------|
 * | live   | yes     | none                                                          |
 * | record | yes     | written to the cassette, credentials removed                  |
 * | replay | none    | read from a temporary copy of the cassette; a miss is an error |
 */
export interface TransportSession {
  dispatcher: Dispatcher;
  /** Saves (record), cleans up (replay) and closes the dispatcher. */
  finish(): Promise<void>;
}

export class ReplayMissError extends Error {
  override name = 'ReplayMissError';
}

const liveAgents = new Map<number, Agent>();

/** The per-request timeouts of every connection, live or recording: no headers, a stalled body, a connect that hangs. */
export const timeouts = (timeoutMs: number) => ({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });

function liveAgent(timeoutMs: number): Agent {
  let agent = liveAgents.get(timeoutMs);
  if (!agent) {
    agent = new Agent(timeouts(timeoutMs));
    liveAgents.set(timeoutMs, agent);
  }
  return agent;
}

// The SDK's x-stainless-* headers name the OS and runtime: matching on them would tie a
// cassette to the machine that recorded it, so requests match on method, URL, body and accept.
const MATCH = { matchHeaders: ['accept'], excludeHeaders: SECRET_HEADERS, matchBody: true, matchQuery: true };

/** undici marks SnapshotAgent experimental and warns on every construction; the warning is noise for our users. */
function quietly<T>(make: () => T): T {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!/SnapshotAgent/.test(text)) (original as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = original;
  }
}

/** Rewrites a saved cassette so no secret survives anywhere in it, base64 bodies included. */
function scrubCassette(file: string, secrets: readonly string[]): void {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { responses: { body: string }[] } }[];
  for (const { snapshot } of entries) {
    for (const response of snapshot.responses) {
      const text = Buffer.from(response.body, 'base64').toString('utf8');
      const clean = redactSecrets(text, secrets);
      if (clean !== text) response.body = Buffer.from(clean, 'utf8').toString('base64');
    }
  }
  writeFileSync(file, redactSecrets(JSON.stringify(entries, null, 2), secrets) + '\n');
}

type Recorder = ReturnType<SnapshotAgent['getRecorder']>;
type RecordedRequest = Parameters<Recorder['record']>[0];

type RecordedResponse = Parameters<Recorder['record']>[1];

/** The callbacks undici's fetch gives a dispatcher (its classic handler interface). */
interface FetchHandler {
  onConnect?(abort: (err?: Error) => void, context?: unknown): void;
  onHeaders?(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(rawTrailers: Buffer[] | null): void;
  onError?(err: Error): void;
}

function headerRecord(raw: Buffer[] | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; raw && i + 1 < raw.length; i += 2) {
    const key = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/** Passes a response through to fetch's handler while keeping a copy of it for the recorder. */
function recordingHandler(handler: FetchHandler, save: (response: RecordedResponse) => void): FetchHandler {
  let statusCode = 0;
  let headers: Record<string, string | string[]> = {};
  const body: Buffer[] = [];
  return {
    onConnect: (abort, context) => handler.onConnect?.(abort, context),
    onHeaders: (status, rawHeaders, resume, statusText) => {
      statusCode = status;
      headers = headerRecord(rawHeaders);
      return handler.onHeaders?.(status, rawHeaders, resume, statusText) ?? true;
    },
    onData: (chunk) => {
      body.push(chunk);
      return handler.onData?.(chunk) ?? true;
    },
    onComplete: (rawTrailers) => {
      save({ statusCode, headers, body: Buffer.concat(body), trailers: headerRecord(rawTrailers) } as RecordedResponse);
      handler.onComplete?.(rawTrailers);
    },
    onError: (err) => handler.onError?.(err),
  };
}

/**
 * Record mode: requests go out through an Agent with the run's timeouts, and each complete
 * answer is stored in a SnapshotAgent's recorder (so replay reads the format it knows).
 * SnapshotAgent's own record mode is not used: undici 7 drops errors in it (no onResponseError),
 * so a stream that stalls or a reset would hang the run instead of failing the request.
 */
class RecordingDispatcher extends Dispatcher {
  private readonly agent: Agent;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly recorder: Recorder,
    timeoutMs: number,
  ) {
    super();
    this.agent = new Agent(timeouts(timeoutMs));
  }
  /** fetch hands a mock-like dispatcher the request body as given, which the recording matches on. */
  get isMockActive(): boolean {
    return true;
  }
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.agent.dispatch(
      opts,
      recordingHandler(handler as FetchHandler, (response) => {
        const saved = this.recorder.record(opts as RecordedRequest, response).catch(() => undefined);
        this.pending.add(saved);
        void saved.finally(() => this.pending.delete(saved));
      }) as Dispatcher.DispatchHandler,
    );
  }
  /** Resolves once every answer received so far is in the recorder. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
  override async close(): Promise<void> {
    await this.agent.close();
  }
  override async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}

export async function openTransport(opts: {
  mode: Mode;
  cassette: string;
  secrets: readonly string[];
  timeoutMs: number;
}): Promise<TransportSession> {
  if (opts.mode === 'live') {
    return { dispatcher: liveAgent(opts.timeoutMs), finish: async () => {} };
  }
  if (opts.mode === 'record') {
    mkdirSync(path.dirname(opts.cassette), { recursive: true });
    rmSync(opts.cassette, { force: true });
    const agent = quietly(() => new SnapshotAgent({ mode: 'record', snapshotPath: opts.cassette, ...MATCH }));
    const recording = new RecordingDispatcher(agent.getRecorder(), opts.timeoutMs);
    return {
      dispatcher: recording,
      finish: async () => {
        await recording.settled();
        await recording.close();
        await agent.saveSnapshots();
        await agent.close();
        if (existsSync(opts.cassette)) scrubCassette(opts.cassette, opts.secrets);
      },
    };
  }
  if (!existsSync(opts.cassette)) {
    throw new ReplayMissError(`no recording at ${opts.cassette}. Record it first with --mode record.`);
  }
  // Playback rewrites its cassette on close and resumes from stored call counts (undici 7),
  // so it plays a private copy from the start.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oai-compat-replay-'));
  const copy = path.join(dir, 'cassette.json');
  copyFileSync(opts.cassette, copy);
  const agent = quietly(() => new SnapshotAgent({ mode: 'playback', snapshotPath: copy, ...MATCH }));
  await agent.loadSnapshots();
  agent.resetCallCounts();
  return {
    dispatcher: agent,
    finish: async () => {
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
