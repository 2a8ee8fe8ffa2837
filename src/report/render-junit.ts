import { FEATURE_IDS, type CheckResult } from '../core/types.js';
import type { Report } from './build.js';
import { compareText } from './matrix.js';

/**
 * JUnit XML of a report, for `oai-compat report` (a run's own junit.xml comes from vitest). The
 * same verdicts as the run's tests: a test (case x transport) with a `fail` result is a
 * failure, else one with an `error` result an error, one with only `skip` results skipped, any
 * other (pass, warn, xfail, xpass, unsupported) passes. One suite per `feature @ target`.
 */
export function renderJunit(report: Report): string {
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const target of Object.keys(report.matrix[FEATURE_IDS[0]])) {
    for (const feature of FEATURE_IDS) {
      const results = report.results.filter((r) => r.target === target && r.feature === feature);
      if (results.length === 0) continue;
      const tests = new Map<string, CheckResult[]>();
      for (const r of results) {
        const key = `${r.case} [${r.transport}]`;
        tests.set(key, [...(tests.get(key) ?? []), r]);
      }
      const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
      const cases = [...tests.entries()].sort(([a], [b]) => compareText(a, b)).map(([name, rs]) => {
        counts.tests += 1;
        const time = (Math.max(...rs.map((r) => r.durationMs)) / 1000).toFixed(3);
        const open = `<testcase classname="${xml(`${target}.${feature}`)}" name="${xml(name)}" time="${time}"`;
        const bad = (status: string) => rs.filter((r) => r.status === status);
        const lines = (list: CheckResult[]) => xml(list.map((r) => `${r.status.toUpperCase()} ${r.step}/${r.check}: ${r.message}`).join('\n'));
        if (bad('fail').length > 0) {
          counts.failures += 1;
          return `${open}><failure message="${xml(bad('fail')[0]!.message)}">${lines([...bad('fail'), ...bad('error')])}</failure></testcase>`;
        }
        if (bad('error').length > 0) {
          counts.errors += 1;
          return `${open}><error message="${xml(bad('error')[0]!.message)}">${lines(bad('error'))}</error></testcase>`;
        }
        if (rs.every((r) => r.status === 'skip')) {
          counts.skipped += 1;
          return `${open}><skipped message="${xml(rs[0]!.message)}"/></testcase>`;
        }
        return `${open}/>`;
      });
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += counts[k];
      suites.push(
        `  <testsuite name="${xml(`${feature} @ ${target}`)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}">\n${cases.map((c) => `    ${c}`).join('\n')}\n  </testsuite>`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="oai-compat" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function xml(text: string): string {
  // Control characters other than tab and newlines are not allowed in XML 1.0.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
