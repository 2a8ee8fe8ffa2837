import { CHECK_STATUSES, type CheckResult, type Finding } from '../core/types.js';
import type { Report } from '../report/build.js';

/** Findings printed per result, and results listed per endpoint, before "... more in the report". */
const MAX_FINDINGS = 3;
const MAX_RESULTS = 10;

const oneLine = (text: string) => text.replace(/\s*\r?\n\s*/g, ' ');

/** One line per finding, as the proxy prints them as they happen and the summary lists them. */
export function findingLine(r: CheckResult, f: Finding): string {
  return `${f.severity === 'must' ? 'MUST' : 'should'} ${r.check} ${f.path || '/'}: expected ${oneLine(f.expected)}, received ${oneLine(f.received)}${f.note ? ` (${oneLine(f.note)})` : ''}`;
}

/** Counts per status, in the order of CHECK_STATUSES; `skip` reads "not judged" (all validate skips are). */
function counts(results: CheckResult[]): string {
  return CHECK_STATUSES.flatMap((status) => {
    const n = results.filter((r) => r.status === status).length;
    return n > 0 ? [`${n} ${status === 'skip' ? 'not judged' : status}`] : [];
  }).join(', ');
}

/**
 * The terminal summary of captured traffic: per vendor host, per endpoint, the exchanges and
 * the result counts, then the results with findings (fail first) and their first findings.
 */
export function renderPassiveSummary(report: Report, reportPath: string): string {
  const lines: string[] = [];
  const hosts = [...new Set(report.results.map((r) => r.target))];
  for (const host of hosts) {
    lines.push(host);
    const ofHost = report.results.filter((r) => r.target === host);
    for (const endpoint of [...new Set(ofHost.map((r) => r.step))].sort()) {
      const ofEndpoint = ofHost.filter((r) => r.step === endpoint);
      const exchanges = new Set(ofEndpoint.map((r) => r.case)).size;
      lines.push(`  ${endpoint}  ${exchanges} exchange${exchanges === 1 ? '' : 's'}: ${counts(ofEndpoint)}`);
      const flagged = ofEndpoint.filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn');
      flagged.sort((a, b) => Number(b.status === 'fail' || b.status === 'error') - Number(a.status === 'fail' || a.status === 'error'));
      for (const r of flagged.slice(0, MAX_RESULTS)) {
        lines.push(`    ${r.status.toUpperCase()} ${r.case} [${r.transport}] ${r.check}${r.findings ? '' : `: ${oneLine(r.message)}`}`);
        const ordered = [...(r.findings ?? [])].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'must' ? -1 : 1));
        for (const f of ordered.slice(0, MAX_FINDINGS)) lines.push(`        ${findingLine(r, f).replace(`${r.check} `, '')}`);
        if (ordered.length > MAX_FINDINGS) lines.push(`        ... and ${ordered.length - MAX_FINDINGS} more`);
      }
      if (flagged.length > MAX_RESULTS) lines.push(`    ... and ${flagged.length - MAX_RESULTS} more results with findings in the report`);
      // Why some checks could not judge: one line per reason, with the checks it kept out.
      const reasons = new Map<string, Set<string>>();
      for (const r of ofEndpoint.filter((x) => x.status === 'skip')) {
        const reason = r.message.replace(/; the check reads the request \(.*\)$/, '');
        reasons.set(reason, (reasons.get(reason) ?? new Set()).add(r.check));
      }
      for (const [reason, checks] of reasons) lines.push(`    ${reason} (${[...checks].join(', ')})`);
    }
  }
  const exchanges = new Set(report.results.map((r) => r.case)).size;
  lines.push('', `${exchanges} exchange${exchanges === 1 ? '' : 's'} · ${counts(report.results) || 'no results'} · exit code ${report.summary.exitCode} · details: ${reportPath}`);
  return `${lines.join('\n')}\n`;
}
