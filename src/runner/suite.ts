import { describe, inject, test } from 'vitest';
import type { Exchange, FeatureId, Transport } from '../core/types.js';
import type { Case } from '../fixtures/load.js';
import '../report/task-meta.js';
import { applyExpectations } from '../expectations/apply.js';
import { RequestBudget } from '../transport/budget.js';
import { apiKeyFor } from './config.js';
import { caseModel, type CaseEnv } from './run-case.js';
import { caseRanks, gateFor, runKey, runsOf, startCases } from './scheduler.js';

/**
 * Declares the vitest tests of one feature: fixtures x transports for the target the CLI
 * provided. The cases run as soon as the file is collected (src/runner/scheduler.ts: each case's
 * blocking run before its streaming run, which compares itself with it); each test reports its
 * run's results.
 */
export function defineFeatureSuite(feature: FeatureId): void {
  const run = inject('oaiRun');
  if (!run) throw new Error('suites/ are started by `oai-compat run` (or `npm start`), not by vitest directly.');
  const cases = run.cases.filter((c) => c.feature === feature);
  const env = (): CaseEnv => ({
    target: run.target,
    mode: run.mode,
    recordingsDir: run.recordingsDir,
    timeoutMs: run.timeoutMs,
    ...(run.pollIntervalMs !== undefined ? { pollIntervalMs: run.pollIntervalMs } : {}),
    ...(run.pollTimeoutMs !== undefined ? { pollTimeoutMs: run.pollTimeoutMs } : {}),
    apiKey: apiKeyFor(run.target, run.mode),
    media: run.media,
    peers: new Map<string, Exchange>(),
    ...(run.budget && run.mode !== 'replay' ? { budget: new RequestBudget(run.budget.dir, run.budget.max) } : {}),
  });
  const items: { id: string; transport: Transport; case: Case }[] = cases.flatMap((c) => c.transports.map((transport) => ({ id: c.id, transport, case: c })));
  // The first file collected starts the cases of every file: their requests overlap at the gate.
  const runs = runsOf(run.target.id, () => startCases(run.cases, env(), gateFor(run.target.id, run.target.limits), caseRanks(run.cases), run.repeat));

  describe(`${feature} @ ${run.target.id}`, () => {
    if (items.length === 0) test.skip(`no fixtures for ${feature}`, () => {});
    test.for(items)('$id [$transport]', async (item, ctx) => {
      const model = caseModel(item.case, run.target);
      ctx.task.meta.oaiCase = { target: run.target.id, model, feature, case: item.id, transport: item.transport };
      const results = applyExpectations(await runs.get(runKey(item.id, item.transport))!, run.expectations);
      ctx.task.meta.oaiResults = results;
      const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
      if (bad.length > 0) {
        throw new Error(bad.map((r) => `${r.status.toUpperCase()} ${r.step}/${r.check}: ${r.message}`).join('\n'));
      }
      if (results.every((r) => r.status === 'skip')) ctx.skip(results[0]?.message);
    });
  });
}
