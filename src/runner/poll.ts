import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { valueOf } from '../checks/answer.js';
import type { Exchange, Transport } from '../core/types.js';
import type { Step } from '../fixtures/load.js';
import type { ResolvedTarget } from '../targets/load.js';

type StepPoll = NonNullable<Step['poll']>;

export interface PollLimits {
  intervalMs: number;
  timeoutMs: number;
  maxPolls: number;
}

/** Without a target limit a poll may run this often (a fixture's interval keeps the time bound). */
const DEFAULT_MAX_POLLS = 10_000;

/**
 * The bounds of one polling step: the fixture's, tightened by the target's `poll` settings; the
 * run's --poll-timeout (and a test's interval override) win over both.
 */
export function pollLimits(poll: StepPoll, target: ResolvedTarget, overrides: { intervalMs?: number; timeoutMs?: number }): PollLimits {
  const fixtureTimeout = poll.timeout_ms ?? 600_000;
  const targetTimeout = target.poll.timeout_ms;
  return {
    intervalMs: overrides.intervalMs ?? target.poll.interval_ms ?? poll.interval_ms ?? 1000,
    timeoutMs: overrides.timeoutMs ?? (targetTimeout !== undefined ? Math.min(targetTimeout, fixtureTimeout) : fixtureTimeout),
    maxPolls: target.poll.max_polls ?? DEFAULT_MAX_POLLS,
  };
}

function pointer(value: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/**
 * Calls until the field reaches `until`, a value outside `while` (judged at once: a status the
 * spec does not know is a schema finding, not something to wait out), an error, or the limits.
 * `gaveUp` says why it stopped early. Only the last exchange is kept, so a long wait holds no memory.
 */
export async function pollUntil(call: () => Promise<Exchange>, poll: StepPoll, limits: PollLimits, sleep: boolean): Promise<{ exchange: Exchange; gaveUp?: string }> {
  const started = performance.now();
  let total = 0;
  for (let polls = 1; ; polls++) {
    const exchange = await call();
    total += exchange.durationMs;
    exchange.durationMs = total;
    const value = pointer(valueOf(exchange), poll.field);
    const shown = String(value);
    if (!exchange.response || exchange.response.status !== 200 || poll.until.includes(shown)) return { exchange };
    if (poll.while && !poll.while.includes(shown)) return { exchange };
    const elapsed = Math.round(performance.now() - started);
    if (polls >= limits.maxPolls || elapsed > limits.timeoutMs) {
      const bound = polls >= limits.maxPolls ? `${polls} polls (the target's max_polls)` : `${elapsed} ms (timeout ${limits.timeoutMs} ms)`;
      return { exchange, gaveUp: `polling gave up after ${bound}: ${poll.field} is still ${JSON.stringify(value)}, waiting for ${poll.until.join(' | ')}` };
    }
    if (sleep && limits.intervalMs > 0) await new Promise((r) => setTimeout(r, limits.intervalMs));
  }
}

/** What a run keeps of a case whose polling step is still in flight, for a later run to go on from. */
export interface PendingState {
  case: string;
  transport: Transport;
  /** The step to resume at (the polling one). */
  step: string;
  /** The answers of the steps before it, as {{steps.ID.response}} saw them. */
  responses: Record<string, { response: unknown }>;
  savedAt: string;
  reason: string;
}

/** recordings/<target>/pending/<case>.<transport>.json */
export function pendingPath(recordingsDir: string, targetId: string, caseId: string, transport: Transport): string {
  return path.join(recordingsDir, targetId, 'pending', `${caseId}.${transport}.json`);
}

export function loadPending(file: string): PendingState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PendingState;
  } catch {
    return undefined; // a broken state file is started over, not trusted
  }
}

export function savePending(file: string, state: PendingState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2) + '\n');
}

export function clearPending(file: string): void {
  rmSync(file, { force: true });
}
