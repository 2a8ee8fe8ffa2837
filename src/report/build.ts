import {
  CHECK_STATUSES,
  FEATURE_IDS,
  type CellStatus,
  type CheckResult,
  type CheckStatus,
  type FeatureId,
  type Finding,
  type Mode,
  type RepeatCount,
} from '../core/types.js';
import { cellStatus, compareText } from './matrix.js';
import type { Claim } from '../targets/load.js';
import type { CaseInfo, Provenance } from './provenance.js';

/** A target as report.json shows it: never a key or the name of the env var holding it. */
export interface ReportTarget {
  id: string;
  baseUrl: string;
  mode: Mode;
  /** Model name per role (`chat`, `embedding`, ...). */
  models: Record<string, string>;
  /** What the target documents per feature (from its target file), for the compatibility profile. */
  claims?: Partial<Record<FeatureId, Claim>>;
}


/** Number of results per check status; every status is present. */
export type StatusCounts = Record<CheckStatus, number>;

/** Detail of one matrix cell: feature x target, or feature x target x model when `model` is set. */
export interface ReportCell {
  feature: FeatureId;
  target: string;
  model?: string;
  status: CellStatus;
  warnings: number;
  counts: StatusCounts;
  /** Which cases and checks failed; never empty for `partial`, `fail` and `error`. */
  notes: string[];
  /** Under `--repeat`: the runs and passes of the cell's behaviour checks, summed. */
  repeat?: RepeatCount;
}

/** Cell status per feature, then per column (a target id, or `<target>/<model>`). */
export type Matrix = Record<FeatureId, Record<string, CellStatus>>;

/** report.json, as described by schemas/report.schema.json (`schemaVersion` 1). */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  targets: ReportTarget[];
  /** Node and SDK versions, the fixture set's digest (optional: reports of older runs lack it). */
  provenance?: Provenance;
  /** What each case of the run checks and where it is documented, by case id (optional). */
  cases?: Record<string, CaseInfo>;
  /** Sorted by target, feature, case, step, transport, check (then model, status, message). */
  results: CheckResult[];
  /** Every feature x every target; `untested` where no result counts. */
  matrix: Matrix;
  /** Every feature x each `<target>/<model>` that has results for that feature. */
  matrixByModel: Matrix;
  /** Details of every cell of `matrix`, then of `matrixByModel`, by feature, target, model. */
  cells: ReportCell[];
  /** Set when a signal stopped the run: the report is partial. */
  interrupted?: Interruption;
  summary: { counts: StatusCounts; exitCode: 0 | 1 };
}

/** A run stopped by a signal, and the tests (`<case> [<transport>]`) that did not finish. */
export interface Interruption {
  signal: string;
  notRun: string[];
}

/** What a run knows when it ends. */
export interface ReportInput {
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  targets: ReportTarget[];
  provenance?: Provenance;
  cases?: Record<string, CaseInfo>;
  results: CheckResult[];
  interrupted?: Interruption;
}

/**
 * Builds report.json from a run's results. Matrix columns are the given targets in their
 * order, then any other target id found in the results. `summary.exitCode` is 1 when any
 * result is `fail` or `error`, else 0.
 */
export function buildReport(input: ReportInput): Report {
  const results = input.results.map(cleanResult).sort(compareResults);
  const targetIds = [
    ...new Set([...input.targets.map((t) => t.id), ...results.map((r) => r.target).sort(compareText)]),
  ];
  const matrix = emptyMatrix();
  const matrixByModel = emptyMatrix();
  const cells: ReportCell[] = [];
  const modelCells: ReportCell[] = [];

  for (const feature of FEATURE_IDS) {
    const ofFeature = results.filter((r) => r.feature === feature);
    for (const target of targetIds) {
      const ofTarget = ofFeature.filter((r) => r.target === target);
      const cell = makeCell(feature, target, undefined, ofTarget);
      matrix[feature][target] = cell.status;
      cells.push(cell);
      for (const model of [...new Set(ofTarget.map((r) => r.model))].sort(compareText)) {
        const ofModel = ofTarget.filter((r) => r.model === model);
        const modelCell = makeCell(feature, target, model, ofModel);
        matrixByModel[feature][`${target}/${model}`] = modelCell.status;
        modelCells.push(modelCell);
      }
    }
  }

  const counts = countStatuses(results);
  return {
    schemaVersion: 1,
    tool: { name: input.tool.name, version: input.tool.version },
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    targets: input.targets.map((t) => ({ id: t.id, baseUrl: t.baseUrl, mode: t.mode, models: { ...t.models }, ...(t.claims === undefined ? {} : { claims: structuredClone(t.claims) }) })),
    ...(input.provenance === undefined ? {} : { provenance: structuredClone(input.provenance) }),
    ...(input.cases === undefined ? {} : { cases: structuredClone(input.cases) }),
    results,
    matrix,
    matrixByModel,
    cells: [...cells, ...modelCells],
    ...(input.interrupted ? { interrupted: { signal: input.interrupted.signal, notRun: [...input.interrupted.notRun].sort(compareText) } } : {}),
    summary: { counts, exitCode: counts.fail > 0 || counts.error > 0 ? 1 : 0 },
  };
}

function makeCell(feature: FeatureId, target: string, model: string | undefined, results: CheckResult[]): ReportCell {
  const verdict = cellStatus(results);
  const repeated = results.filter((r) => r.repeat !== undefined && r.status !== 'skip');
  const repeat = repeated.length === 0 ? undefined : repeated.reduce((sum, r) => ({ runs: sum.runs + r.repeat!.runs, passed: sum.passed + r.repeat!.passed }), { runs: 0, passed: 0 });
  return {
    feature,
    target,
    ...(model === undefined ? {} : { model }),
    status: verdict.status,
    warnings: verdict.warnings,
    counts: countStatuses(results),
    notes: verdict.notes,
    ...(repeat === undefined ? {} : { repeat }),
  };
}

function emptyMatrix(): Matrix {
  return Object.fromEntries(FEATURE_IDS.map((f) => [f, {}])) as Matrix;
}

function countStatuses(results: CheckResult[]): StatusCounts {
  const counts = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of results) counts[r.status] += 1;
  return counts;
}

const RESULT_KEYS: ReadonlyArray<keyof CheckResult> = [
  'target',
  'model',
  'feature',
  'case',
  'step',
  'check',
  'level',
  'severity',
  'transport',
  'status',
  'message',
  'findings',
  'durationMs',
  'expectation',
  'source',
  'repeat',
];
const FINDING_KEYS: ReadonlyArray<keyof Finding> = ['path', 'expected', 'received', 'severity', 'note'];

/** A copy with exactly the fields of the schema, in a fixed order: nothing else leaks into the report. */
function cleanResult(r: CheckResult): CheckResult {
  const clean = pick(r, RESULT_KEYS);
  if (r.findings !== undefined) clean.findings = r.findings.map((f) => pick(f, FINDING_KEYS));
  return clean;
}

function pick<T extends object>(value: T, keys: ReadonlyArray<keyof T>): T {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as T;
}

const SORT_KEYS = ['target', 'feature', 'case', 'step', 'transport', 'check', 'model', 'status', 'message'] as const;

/** Total order on results, so the same results give the same report whatever their input order. */
function compareResults(a: CheckResult, b: CheckResult): number {
  for (const key of SORT_KEYS) {
    const order = compareText(a[key], b[key]);
    if (order !== 0) return order;
  }
  return compareText(JSON.stringify(a), JSON.stringify(b));
}
