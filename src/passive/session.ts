import type { CheckResult } from '../core/types.js';
import { buildReport, type Report, type ReportTarget } from '../report/build.js';

/** Results of captured traffic as they come in, and the report they make (targets = vendor hosts). */
export class PassiveSession {
  readonly results: CheckResult[] = [];
  private readonly targets = new Map<string, ReportTarget>();
  readonly startedAt = new Date().toISOString();

  constructor(
    private readonly tool: { name: string; version: string },
    /** `replay` for captures read from files (no connection made), `live` for the proxy. */
    private readonly mode: ReportTarget['mode'],
  ) {}

  add(target: { id: string; baseUrl: string }, results: CheckResult[]): void {
    if (!this.targets.has(target.id)) this.targets.set(target.id, { id: target.id, baseUrl: target.baseUrl, mode: this.mode, models: {} });
    this.results.push(...results);
  }

  report(): Report {
    return buildReport({ tool: this.tool, startedAt: this.startedAt, finishedAt: new Date().toISOString(), targets: [...this.targets.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), results: this.results });
  }
}
