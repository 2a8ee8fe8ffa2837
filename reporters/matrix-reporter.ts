import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckResult } from '../src/core/types.js';
import { buildReport, type Report, type ReportInput } from '../src/report/build.js';
import { renderTerminal } from '../src/report/render-terminal.js';
import type { OaiCase } from '../src/report/task-meta.js';
import { writeReport } from '../src/report/write.js';

/** Options of {@link MatrixReporter}. */
export interface MatrixReporterOptions {
  /** Directory that receives report.json, report.md and report.html (created when missing). */
  outDir: string;
  /** What the run knows before it starts; `finishedAt` is taken when the run ends. */
  run: Omit<ReportInput, 'finishedAt' | 'results'>;
  /** Where the terminal rendering goes; default `process.stdout.write`. */
  print?: (text: string) => void;
  color?: boolean;
  /** The signal that stopped the run, if one did (the CLI sets it): the report is then marked partial. */
  interruptedBy?: () => string | undefined;
  /** Every test the run meant to run (`<case> [<transport>]`), so an interrupted report can list those that did not finish. */
  planned?: string[];
}

/**
 * Vitest reporter that turns the results the suites attach to their tests
 * (`ctx.task.meta.oaiResults`, see src/report/task-meta.ts) into report.json, report.md and report.html,
 * and prints the matrix. A test that set `oaiCase` but attached no results (it crashed, or the
 * run was interrupted) gets one synthetic `error` result, check `harness`, carrying its first
 * error. Failures that fit no cell (a failed test without `oaiCase`, a module that could not be
 * collected, unhandled errors) are printed as notes.
 */
export class MatrixReporter implements Reporter {
  /** The report of the last run; set once `onTestRunEnd` has written it. */
  report: Report | undefined;
  /** Failures that fit no cell (modules that did not load, unhandled errors); the CLI exits 1 on any. */
  problems: string[] = [];

  constructor(private readonly options: MatrixReporterOptions) {}

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<{ message: string }>,
  ): Promise<void> {
    const results: CheckResult[] = [];
    const notes: string[] = [];
    const finished = new Set<string>();
    for (const module of testModules) {
      for (const error of module.errors()) {
        notes.push(`${module.relativeModuleId} failed to run: ${firstLine(error.message)}`);
      }
      for (const test of module.children.allTests()) {
        // Finished means its results arrived: vitest marks a test it cancels as skipped, not pending.
        const { oaiCase, oaiResults } = test.meta();
        if (oaiCase && oaiResults !== undefined) finished.add(`${oaiCase.target} ${oaiCase.case} [${oaiCase.transport}]`);
        const own = resultsOf(test);
        if (own !== undefined) results.push(...own);
        else if (test.result().state === 'failed') {
          notes.push(`${test.fullName} failed outside any case: ${errorOf(test)}`);
        }
      }
    }
    for (const error of unhandledErrors) notes.push(`unhandled error: ${firstLine(error.message)}`);
    this.problems = notes;

    const { run, outDir, color = false, print = (text: string) => void process.stdout.write(text) } = this.options;
    const signal = this.options.interruptedBy?.();
    // A test is listed once (<case> [<transport>]) when it did not finish on some target.
    const notRun = (this.options.planned ?? []).filter((name) => run.targets.some((t) => !finished.has(`${t.id} ${name}`)));
    this.report = buildReport({ ...run, finishedAt: new Date().toISOString(), results, ...(signal ? { interrupted: { signal, notRun } } : {}) });
    const paths = await writeReport(this.report, outDir);
    const matrix = renderTerminal(this.report, { color, reportPath: paths.markdown });
    const noteLines = notes.map((note) => `Note: ${note}\n`).join('');
    const partial = this.report.interrupted ? `Interrupted by ${signal}: the report is partial, ${notRun.length} test(s) did not run or finish (listed in report.md).\n` : '';
    print(`\n${matrix}${noteLines}${partial}Report written to ${paths.json}\n`);
  }
}

/** The test's results; a synthetic error when it has a case but no results; undefined when it has neither. */
function resultsOf(test: TestCase): CheckResult[] | undefined {
  const { oaiResults, oaiCase } = test.meta();
  if (oaiResults !== undefined && oaiResults.length > 0) return oaiResults;
  if (oaiCase === undefined) return undefined;
  const state = test.result().state;
  if (state === 'skipped') return [];
  const message =
    state === 'failed'
      ? `Test crashed before attaching results: ${errorOf(test)}`
      : state === 'pending'
        ? 'Test did not finish (run interrupted)'
        : 'Test passed without attaching results';
  return [harnessError(oaiCase, message, test.diagnostic()?.duration ?? 0)];
}

function harnessError(c: OaiCase, message: string, durationMs: number): CheckResult {
  return {
    target: c.target,
    model: c.model,
    feature: c.feature,
    case: c.case,
    step: '-',
    check: 'harness',
    level: 'wire',
    severity: 'must',
    transport: c.transport,
    status: 'error',
    message,
    durationMs,
  };
}

function errorOf(test: TestCase): string {
  const error = test.result().errors?.[0];
  return error === undefined ? 'no error message' : firstLine(`${error.name ?? 'Error'}: ${error.message}`);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}
