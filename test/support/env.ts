import path from 'node:path';
import { CHECK_VOCABULARY } from '../../src/checks/index.js';
import type { CheckResult, Exchange, Mode, Transport } from '../../src/core/types.js';
import { listMedia, loadFixtures, type Case } from '../../src/fixtures/load.js';
import { loadMedia } from '../../src/fixtures/media.js';
import { runCase, type CaseEnv } from '../../src/runner/run-case.js';
import { loadTarget, type ResolvedTarget } from '../../src/targets/load.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'fixtures');

export const CASES: Case[] = loadFixtures(FIXTURES, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(FIXTURES)) });
const MEDIA = loadMedia(FIXTURES);

export function caseById(id: string): Case {
  const found = CASES.find((c) => c.id === id);
  if (!found) throw new Error(`no case ${id}`);
  return found;
}

/** The reference target pointed at a running server. */
export function referenceTarget(baseUrl: string): ResolvedTarget {
  return { ...loadTarget('reference', path.join(ROOT, 'targets')), baseUrl };
}

export function makeEnv(target: ResolvedTarget, opts: { mode?: Mode; recordingsDir?: string; apiKey?: string | undefined } = {}): CaseEnv {
  return {
    target,
    mode: opts.mode ?? 'live',
    recordingsDir: opts.recordingsDir ?? path.join(ROOT, 'recordings'),
    timeoutMs: 10_000,
    pollIntervalMs: 0,
    apiKey: 'apiKey' in opts ? opts.apiKey : target.publicKey,
    media: MEDIA,
    peers: new Map<string, Exchange>(),
  };
}

/** Runs a case the way the suite does: blocking first (the streaming run compares itself with it). */
export async function runBoth(c: Case, env: CaseEnv, transports: Transport[] = c.transports): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const transport of ['blocking', 'streaming'] as const) {
    if (transports.includes(transport)) results.push(...(await runCase(c, transport, env)));
  }
  return results;
}
