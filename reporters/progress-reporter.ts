import type { Reporter, TestCase, Vitest } from 'vitest/node';
import '../src/report/task-meta.js';

const MARK: Record<string, string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', error: 'ERR ', unsupported: 'unsp', skip: 'skip', xfail: 'xfal', xpass: 'XPAS' };
const RANK = ['error', 'fail', 'xpass', 'unsupported', 'warn', 'xfail', 'pass', 'skip'];

/** One line per finished case while a long run goes on: worst status, (target,) case, transport, time. */
export class ProgressReporter implements Reporter {
  private done = 0;
  /** With several targets (one vitest project each), lines name the target. */
  private showTarget = false;

  constructor(private readonly print: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  onInit(vitest: Vitest): void {
    this.showTarget = vitest.projects.length > 1;
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    const results = meta.oaiResults ?? [];
    const worst = RANK.find((s) => results.some((r) => r.status === s)) ?? (testCase.result().state === 'failed' ? 'error' : 'skip');
    const seconds = ((testCase.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
    const target = meta.oaiCase && this.showTarget ? `${meta.oaiCase.target} ` : '';
    const name = meta.oaiCase ? `${target}${meta.oaiCase.feature}/${meta.oaiCase.case} [${meta.oaiCase.transport}]` : testCase.fullName;
    this.done += 1;
    this.print(`${String(this.done).padStart(4)} ${MARK[worst]} ${name} ${seconds}s`);
  }
}
