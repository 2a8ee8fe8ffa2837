/**
 * How the requests of a run are scheduled: every case of a feature file starts at once and its
 * requests queue at the target's gate, which admits a bounded number in flight (and per minute).
 * Concurrency is requests in flight, not processes: one worker runs every feature file.
 */
import type { CheckResult, Transport } from '../core/types.js';
import type { Case } from '../fixtures/load.js';
import type { RequestLimits } from '../targets/load.js';
import { runRepeated, type RepeatSettings } from './repeat.js';
import { runCase, type CaseEnv } from './run-case.js';

/** Hands a request slot back; call it once the answer has arrived in full. Calling it again does nothing. */
export type Release = () => void;

/** What a case waits on before each request: a gate seen with the case's priority. */
export interface RequestLane {
  acquire(): Promise<Release>;
}

const MINUTE_MS = 60_000;

/**
 * Admits requests to one target: at most `concurrency` in flight and, when `requestsPerMinute`
 * is set, at most that many started in any 60 s window. Waiting requests are admitted by
 * priority (lower first), then in order of arrival, so a case that has begun moves on before
 * cases ranked after it begin (its next step would otherwise queue behind all of them).
 */
export class RequestGate {
  private inFlight = 0;
  /** By priority, then arrival: a newcomer goes after every entry of its priority. */
  private readonly waiting: { priority: number; admit: () => void }[] = [];
  /** Start times within the last minute, oldest first (kept only with a per-minute limit). */
  private readonly starts: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly limits: RequestLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  acquire(priority = 0): Promise<Release> {
    return new Promise((resolve) => {
      const entry = { priority, admit: () => resolve(this.releaser()) };
      let at = this.waiting.length;
      while (at > 0 && this.waiting[at - 1]!.priority > priority) at--;
      this.waiting.splice(at, 0, entry);
      this.pump();
    });
  }

  lane(priority: number): RequestLane {
    return { acquire: () => this.acquire(priority) };
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < this.limits.concurrency) {
      const wait = this.rateWait();
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.inFlight++;
      if (this.limits.requestsPerMinute) this.starts.push(this.now());
      this.waiting.shift()!.admit();
    }
  }

  /** Milliseconds until the per-minute limit admits another request (0: now). */
  private rateWait(): number {
    const perMinute = this.limits.requestsPerMinute;
    if (!perMinute) return 0;
    const now = this.now();
    while (this.starts.length > 0 && this.starts[0]! <= now - MINUTE_MS) this.starts.shift();
    return this.starts.length < perMinute ? 0 : Math.max(1, Math.ceil(this.starts[0]! + MINUTE_MS - now));
  }
}

const gates = new Map<string, RequestGate>();

/** The gate of a target, one per worker process: every feature file of the run shares it. */
export function gateFor(targetId: string, limits: RequestLimits): RequestGate {
  let gate = gates.get(targetId);
  if (!gate) gates.set(targetId, (gate = new RequestGate(limits)));
  return gate;
}

/**
 * The order cases are admitted in: those with the most steps first, as their chain of requests
 * is the longest (a batch uploads, creates, polls and reads), then in fixture order.
 */
export function caseRanks(cases: readonly Case[]): Map<string, number> {
  const order = cases.map((c, i) => ({ id: c.id, steps: c.steps.length, i })).sort((a, b) => b.steps - a.steps || a.i - b.i);
  return new Map(order.map((c, rank) => [c.id, rank]));
}

export const runKey = (caseId: string, transport: Transport) => `${caseId} [${transport}]`;

const started = new Map<string, Map<string, Promise<CheckResult[]>>>();

/**
 * The runs of every case of a target, started by the first call in this worker: vitest collects
 * and runs one feature file after another, so the first file collected starts the cases of all
 * files, and each test waits for its own run.
 */
export function runsOf(targetId: string, start: () => Map<string, Promise<CheckResult[]>>): Map<string, Promise<CheckResult[]>> {
  let runs = started.get(targetId);
  if (!runs) started.set(targetId, (runs = start()));
  return runs;
}

/**
 * Cases open at once per request slot: enough to keep every slot busy while some cases check
 * answers between requests, few enough that memory (open transports, answers) does not grow with
 * the number of cases.
 */
const CASES_PER_SLOT = 2;

/**
 * Queues every case at once, each through `gate` at its rank; a case opens when one of the
 * CASES_PER_SLOT × concurrency case slots frees up, lowest rank first. A case's transports run one
 * after another in fixture order (blocking first: the streaming run compares itself with it), and
 * its steps run in order inside runCase. Returns each run's results by runKey.
 */
export function startCases(cases: readonly Case[], env: CaseEnv, gate: RequestGate, ranks: Map<string, number>, repeat?: RepeatSettings): Map<string, Promise<CheckResult[]>> {
  const runs = new Map<string, Promise<CheckResult[]>>();
  const open = new RequestGate({ concurrency: CASES_PER_SLOT * gate.limits.concurrency });
  for (const c of cases) {
    const rank = ranks.get(c.id) ?? ranks.size;
    const caseEnv: CaseEnv = { ...env, gate: gate.lane(rank) };
    const slot = open.acquire(rank);
    let previous: Promise<unknown> = slot;
    for (const transport of c.transports) {
      // Under --repeat a case with behaviour checks runs several times in a row (src/runner/repeat.ts).
      const run = previous.then(() => runRepeated(c, repeat, () => runCase(c, transport, caseEnv)));
      previous = run.catch(() => undefined); // a crashed run is its own test's failure; the next still runs
      runs.set(runKey(c.id, transport), run);
    }
    // The blocking exchanges were kept for this case's streaming run only: memory stays flat with cases.
    void previous.then(async () => {
      c.steps.forEach((step) => env.peers.delete(`${c.id}/${step.id}`));
      (await slot)();
    });
  }
  return runs;
}
