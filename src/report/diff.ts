import { FEATURE_IDS, type CellStatus, type CheckResult, type FeatureId, type Transport } from '../core/types.js';
import type { Report } from './build.js';
import { compareText, testOutcome, type TestOutcome } from './matrix.js';

/** A test's outcome in one report; `skip` when every result of the test was skipped. */
export type DiffOutcome = TestOutcome | 'skip';

/** One test (target x feature x case x transport) as two reports see it. Tests are keyed by stable ids, not by model. */
export interface TestChange {
  target: string;
  feature: FeatureId;
  case: string;
  transport: Transport;
  /** The model in the newer report (the older one's for a removed test). */
  model: string;
  /** The model of the older report, when it differs. */
  oldModel?: string;
  old?: DiffOutcome;
  new?: DiffOutcome;
  /** The newer report's fail, error and unsupported results of the test (the older one's for a removed test). */
  results: CheckResult[];
}

/** A feature x target cell whose status changed. */
export interface CellChange {
  feature: FeatureId;
  target: string;
  old: CellStatus;
  new: CellStatus;
}

/**
 * What changed between two reports. `regressions` are tests that passed and now fail or are
 * unsupported; tests that now answer `error` (transport trouble: timeouts, 5xx, exhausted
 * credit) are listed in `infrastructure` instead, whatever they were before, so that noise is
 * never counted as a regression. `changed` holds the other outcome changes (e.g. error -> pass,
 * fail -> unsupported, pass -> skip).
 */
export interface ReportDiff {
  regressions: TestChange[];
  fixes: TestChange[];
  infrastructure: TestChange[];
  added: TestChange[];
  removed: TestChange[];
  changed: TestChange[];
  cells: CellChange[];
  /** 1 when there is any regression, else 0. */
  exitCode: 0 | 1;
}

interface TestState {
  key: Omit<TestChange, 'model' | 'old' | 'new' | 'results' | 'oldModel'>;
  model: string;
  outcome: DiffOutcome;
  bad: CheckResult[];
}

const BAD = new Set(['fail', 'error', 'unsupported']);

function testsOf(report: Report): Map<string, TestState> {
  const grouped = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    const key = JSON.stringify([r.target, r.feature, r.case, r.transport]);
    grouped.set(key, [...(grouped.get(key) ?? []), r]);
  }
  const tests = new Map<string, TestState>();
  for (const [key, results] of grouped) {
    const first = results[0]!;
    const counted = results.filter((r) => r.status !== 'skip');
    tests.set(key, {
      key: { target: first.target, feature: first.feature, case: first.case, transport: first.transport },
      model: first.model,
      outcome: counted.length === 0 ? 'skip' : testOutcome(counted),
      bad: counted.filter((r) => BAD.has(r.status)),
    });
  }
  return tests;
}

/** Compares two reports by stable ids (target, feature, case, transport). */
export function diffReports(oldReport: Report, newReport: Report): ReportDiff {
  const before = testsOf(oldReport);
  const after = testsOf(newReport);
  const diff: ReportDiff = { regressions: [], fixes: [], infrastructure: [], added: [], removed: [], changed: [], cells: [], exitCode: 0 };
  for (const [key, now] of after) {
    const was = before.get(key);
    const change: TestChange = {
      ...now.key,
      model: now.model,
      ...(was !== undefined && was.model !== now.model ? { oldModel: was.model } : {}),
      ...(was === undefined ? {} : { old: was.outcome }),
      new: now.outcome,
      results: now.bad,
    };
    if (was === undefined) diff.added.push(change);
    else if (now.outcome === 'error' && was.outcome !== 'error') diff.infrastructure.push(change);
    else if (was.outcome === now.outcome) continue;
    else if (was.outcome === 'pass' && (now.outcome === 'fail' || now.outcome === 'unsupported')) diff.regressions.push(change);
    else if ((was.outcome === 'fail' || was.outcome === 'unsupported') && now.outcome === 'pass') diff.fixes.push(change);
    else diff.changed.push(change);
  }
  for (const [key, was] of before) {
    if (!after.has(key)) diff.removed.push({ ...was.key, model: was.model, old: was.outcome, results: was.bad });
  }
  for (const list of [diff.regressions, diff.fixes, diff.infrastructure, diff.added, diff.removed, diff.changed]) list.sort(compareChanges);
  diff.cells = cellChanges(oldReport, newReport);
  diff.exitCode = diff.regressions.length > 0 ? 1 : 0;
  return diff;
}

function cellChanges(oldReport: Report, newReport: Report): CellChange[] {
  const changes: CellChange[] = [];
  for (const feature of FEATURE_IDS) {
    const targets = [...new Set([...Object.keys(oldReport.matrix[feature]), ...Object.keys(newReport.matrix[feature])])].sort(compareText);
    for (const target of targets) {
      const was = oldReport.matrix[feature][target] ?? 'untested';
      const now = newReport.matrix[feature][target] ?? 'untested';
      if (was !== now) changes.push({ feature, target, old: was, new: now });
    }
  }
  return changes;
}

function compareChanges(a: TestChange, b: TestChange): number {
  return (
    compareText(a.target, b.target) ||
    FEATURE_IDS.indexOf(a.feature) - FEATURE_IDS.indexOf(b.feature) ||
    compareText(a.case, b.case) ||
    compareText(a.transport, b.transport)
  );
}
