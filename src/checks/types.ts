import type { CheckLevel, Exchange, Finding, Severity, Transport } from '../core/types.js';
import type { ExpectError } from '../types/generated/fixture.js';

/** What a fixture step says about the error it expects instead of a success. */
export type ExpectedError = ExpectError;

/** The statuses an expected error may come with. */
export const expectedStatuses = (e: ExpectedError): number[] => (Array.isArray(e.status) ? e.status : [e.status]);

/** Everything a check may look at. Checks are pure: they never send requests. */
export interface CheckContext {
  exchange: Exchange;
  /** Parameters given to the check by the fixture (after templating). */
  params: Record<string, unknown>;
  transport: Transport;
  expectError?: ExpectedError;
  /** In a streaming run: the blocking exchange of the same case and step, when that ran first. */
  blockingPeer?: Exchange;
}

export interface CheckDef {
  /** Stable id, `<level>.<name>`; used in fixtures, reports and expectations. */
  id: string;
  level: CheckLevel;
  /** Severity of the findings this check reports unless a finding says otherwise. */
  severity: Severity;
  description: string;
  /** Automatic checks run on every exchange they apply to; the others only when a fixture names them. */
  auto: boolean;
  /**
   * A behaviour check judges the model's choice (did it call the tool, stop, follow the schema),
   * not the API's shape: with `run --repeat N` it is judged on its pass rate over N runs.
   */
  behaviour?: boolean;
  appliesTo(ctx: CheckContext): boolean;
  run(ctx: CheckContext): Finding[];
  /** What the result message says about the exchange whatever the verdict (e.g. the encoding an embeddings answer used). */
  note?(ctx: CheckContext): string;
}

/**
 * A semantic check that runs when a fixture names it, on answers that were meant to succeed
 * (severity `must` unless a finding says otherwise). `behaviour` marks a check of the model's
 * choice (see {@link CheckDef.behaviour}).
 */
export function semanticCheck(
  id: `semantic.${string}`,
  description: string,
  run: CheckDef['run'],
  { behaviour, calls }: { behaviour?: true; calls?: readonly string[] } = {},
): CheckDef {
  // `calls`: the operations whose answers the check can judge (any, when not given).
  const appliesTo = (ctx: CheckContext) => !ctx.expectError && (!calls || calls.includes(ctx.exchange.operation));
  return { id, level: 'semantic', severity: 'must', description, auto: false, appliesTo, run, ...(behaviour ? { behaviour } : {}) };
}

const CHAT_CALLS = new Set(['chat.completions.create', 'chat.completions.parse']);

/** A successful chat completion exchange (blocking or streamed). */
export const isChatAnswer = (ctx: CheckContext) => !ctx.expectError && CHAT_CALLS.has(ctx.exchange.operation);

/**
 * An invariant: a truth of every response of a kind, checked automatically on every exchange
 * `appliesTo` selects, whether or not a fixture names it (a step may only waive it, with a reason).
 */
export function invariant(id: `${'wire' | 'semantic'}.${string}`, description: string, appliesTo: CheckDef['appliesTo'], run: CheckDef['run'], note?: CheckDef['note']): CheckDef {
  return { id, level: id.startsWith('wire.') ? 'wire' : 'semantic', severity: 'must', description, auto: true, appliesTo, run, ...(note ? { note } : {}) };
}
