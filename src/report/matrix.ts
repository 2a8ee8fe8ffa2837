import type { CellStatus, CheckResult, CheckStatus } from '../core/types.js';

/** The verdict of one matrix cell (feature x target, or feature x target/model). */
export interface CellVerdict {
  status: CellStatus;
  /** Number of `warn` results (a `should` check failed) among the cell's counted tests. */
  warnings: number;
  /** One line per test worth naming: which case, transport (and model) and which checks. */
  notes: string[];
}

/** The outcome of one test (case x transport x model): what its results add up to. */
export type TestOutcome = 'pass' | 'fail' | 'error' | 'unsupported';

/** Statuses a note names, in this order. */
const NOTED: readonly CheckStatus[] = ['fail', 'error', 'unsupported', 'xpass'];

/**
 * Computes the status of one matrix cell from the check results that fall into it.
 *
 * 1. Results are grouped into tests by (case, transport, model). A test whose results are
 *    all `skip` does not count; `skip` results are ignored in the others.
 * 2. A test's outcome: `fail` if any result is `fail`; else `error` if any is `error`; else
 *    `unsupported` if any is `unsupported`; else `pass` (`pass`, `warn`, `xfail` and `xpass`
 *    all count as passing: `xpass` is reported in the notes so stale expectations get noticed).
 * 3. The cell: no counted test → `untested`; any failing test → `partial` if some test
 *    passes, else `fail`; else any erroring test → `error`; else every test unsupported →
 *    `unsupported`; some unsupported and some passing → `partial`; else `pass`.
 *    `warnings` is the number of `warn` results of the counted tests, whatever the status.
 * 4. Notes name, one line per test, the checks with a `fail`, `error` or `xpass` result and,
 *    unless the whole cell is `unsupported`, those with an `unsupported` result, e.g.
 *    `chat-basic [streaming]: fail (schema.chat-completion), error (sdk.parse)`. The model is
 *    named too when the cell spans several models. So a `partial`, `fail` or `error` cell
 *    always carries a note.
 */
export function cellStatus(results: CheckResult[]): CellVerdict {
  const tests = groupTests(results);
  if (tests.length === 0) return { status: 'untested', warnings: 0, notes: [] };

  const outcomes = tests.map((test) => testOutcome(test.results));
  const has = (outcome: TestOutcome) => outcomes.includes(outcome);
  let status: CellStatus;
  if (has('fail')) status = has('pass') ? 'partial' : 'fail';
  else if (has('error')) status = 'error';
  else if (has('unsupported')) status = has('pass') ? 'partial' : 'unsupported';
  else status = 'pass';

  const warnings = tests.reduce((n, test) => n + test.results.filter((r) => r.status === 'warn').length, 0);
  const manyModels = new Set(tests.map((test) => test.model)).size > 1;
  const noted = NOTED.filter((s) => s !== 'unsupported' || status !== 'unsupported');
  const notes = tests.flatMap((test) => {
    const parts = noted.flatMap((s) => {
      const checks = [...new Set(test.results.filter((r) => r.status === s).map((r) => r.check))].sort(compareText);
      return checks.length > 0 ? [`${s} (${checks.join(', ')})`] : [];
    });
    if (parts.length === 0) return [];
    const where = manyModels ? `${test.transport}, ${test.model}` : test.transport;
    return [`${test.case} [${where}]: ${parts.join(', ')}`];
  });
  return { status, warnings, notes };
}

interface Test {
  case: string;
  transport: string;
  model: string;
  results: CheckResult[];
}

/** Tests with at least one non-skip result (skip results dropped), sorted by case, transport, model. */
function groupTests(results: CheckResult[]): Test[] {
  const byKey = new Map<string, Test>();
  for (const r of results) {
    if (r.status === 'skip') continue;
    const key = JSON.stringify([r.case, r.transport, r.model]);
    const test = byKey.get(key) ?? { case: r.case, transport: r.transport, model: r.model, results: [] };
    test.results.push(r);
    byKey.set(key, test);
  }
  return [...byKey.values()].sort(
    (a, b) => compareText(a.case, b.case) || compareText(a.transport, b.transport) || compareText(a.model, b.model),
  );
}

/** `fail` if any result fails, else `error`, else `unsupported`, else `pass` (skip results ignored). */
export function testOutcome(results: CheckResult[]): TestOutcome {
  const has = (status: CheckStatus) => results.some((r) => r.status === status);
  if (has('fail')) return 'fail';
  if (has('error')) return 'error';
  if (has('unsupported')) return 'unsupported';
  return 'pass';
}

/** Locale-independent string order (UTF-16 code units), so reports sort the same everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
