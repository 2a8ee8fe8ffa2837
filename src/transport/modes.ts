import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, SnapshotAgent, type Dispatcher } from 'undici';
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

function liveAgent(timeoutMs: number): Agent {
  let agent = liveAgents.get(timeoutMs);
  if (!agent) {
    agent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
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
    return {
      dispatcher: agent,
      finish: async () => {
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
