import { CHECKS } from '../checks/index.js';
import type { CheckResult, CheckStatus } from '../core/types.js';
import type { Case } from '../fixtures/load.js';

/** `run --repeat N --threshold R`: behaviour checks pass when at least R of their N runs pass. */
export interface RepeatSettings {
  runs: number;
  /** 0..1 */
  threshold: number;
}

const BEHAVIOUR = new Set(CHECKS.filter((c) => c.behaviour).map((c) => c.id));

/** Whether a case names a behaviour check; only those are worth sending again. */
export function hasBehaviourChecks(c: Case): boolean {
  return c.steps.some((s) => s.checks.some((e) => BEHAVIOUR.has(e.check)));
}

/**
 * Runs a case `settings.runs` times when it has behaviour checks (once otherwise) and folds the
 * runs into one result per step and check (see {@link collapseRepeats}).
 */
export async function runRepeated(c: Case, settings: RepeatSettings | undefined, once: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  if (settings === undefined || settings.runs <= 1 || !hasBehaviourChecks(c)) return once();
  const attempts: CheckResult[][] = [];
  for (let i = 0; i < settings.runs; i++) attempts.push(await once());
  return collapseRepeats(attempts, settings.threshold);
}

/** Worst first: one failing run of a shape check is a failure, whatever the others did. */
const WORST: readonly CheckStatus[] = ['fail', 'error', 'unsupported', 'warn', 'xpass', 'xfail', 'pass', 'skip'];

/**
 * One result per step and check, from several runs of the same case. A behaviour check
 * ({@link CheckDef.behaviour}) gets its pass rate (`repeat`): runs that passed (or only warned)
 * over runs that judged it (pass, warn or fail); it passes when the rate reaches `threshold`, and
 * otherwise keeps the findings of its first failing run. Runs that could not judge it (error,
 * unsupported, skip) are left out of the rate; with none judged, the worst of them is reported.
 * Any other check reports its worst run: the API's shape does not get a pass rate.
 */
export function collapseRepeats(attempts: CheckResult[][], threshold: number): CheckResult[] {
  const groups = new Map<string, CheckResult[]>();
  for (const attempt of attempts) {
    for (const r of attempt) {
      const key = JSON.stringify([r.step, r.check]);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups.values()].map((runs) => (BEHAVIOUR.has(runs[0]!.check) ? rated(runs, threshold) : worst(runs)));
}

function worst(runs: CheckResult[]): CheckResult {
  const sorted = [...runs].sort((a, b) => WORST.indexOf(a.status) - WORST.indexOf(b.status));
  const result = sorted[0]!;
  const same = runs.filter((r) => r.status === result.status).length;
  if (same === runs.length) return result;
  return { ...result, message: `${result.message}${result.message ? ' ' : ''}(${result.status} in ${same} of ${runs.length} runs)` };
}

function rated(runs: CheckResult[], threshold: number): CheckResult {
  const judged = runs.filter((r) => r.status === 'pass' || r.status === 'warn' || r.status === 'fail');
  if (judged.length === 0) return worst(runs);
  const passed = judged.filter((r) => r.status !== 'fail').length;
  const percent = (n: number) => `${Math.round(n * 100)}%`;
  const unjudged = runs.length - judged.length;
  const rate = `passed ${passed} of ${judged.length} runs (${percent(passed / judged.length)}, threshold ${percent(threshold)})${unjudged > 0 ? `; ${unjudged} run(s) could not judge it` : ''}`;
  const repeat = { runs: judged.length, passed };
  const durationMs = Math.round(judged.reduce((sum, r) => sum + r.durationMs, 0) / judged.length);
  if (passed / judged.length >= threshold) {
    const { findings: _, ...first } = judged.find((r) => r.status !== 'fail')!;
    return { ...first, status: 'pass', message: rate, durationMs, repeat };
  }
  const failing = judged.find((r) => r.status === 'fail')!;
  return { ...failing, message: `${rate}: ${failing.message}`, durationMs, repeat };
}
