import type { Report, ReportTarget } from './build.js';

// The facts every rendering puts at its top (Markdown, terminal, HTML, diff): what made the
// report, when, on which fixtures, against what. Never a key: targets carry none.

/** e.g. `oai-compat 0.1.0, openai SDK 6.49.0, Node v20.18.1` (without the versions a report lacks). */
export function toolText(report: Pick<Report, 'tool' | 'provenance'>): string {
  const p = report.provenance;
  return `${report.tool.name} ${report.tool.version}${p === undefined ? '' : `, openai SDK ${p.openai}, Node ${p.node}`}`;
}

/** e.g. `sha256:0f3c… (31 cases)`; undefined for a report without provenance. */
export function fixturesText(report: Pick<Report, 'provenance'>): string | undefined {
  const f = report.provenance?.fixtures;
  return f === undefined ? undefined : `${f.digest} (${f.cases} case${f.cases === 1 ? '' : 's'})`;
}

/** e.g. `chat=gpt-4o-mini, embedding=text-embedding-3-small`, or `none`. */
export function modelsText(target: ReportTarget, quote: (name: string) => string = (n) => n): string {
  const models = Object.entries(target.models).map(([role, name]) => `${role}=${quote(name)}`);
  return models.length > 0 ? models.join(', ') : 'none';
}

/** The header as plain lines, for the terminal and the diff. */
export function headerLines(report: Report): string[] {
  const fixtures = fixturesText(report);
  return [
    `${toolText(report)} · ${report.startedAt} → ${report.finishedAt}${fixtures === undefined ? '' : ` · fixtures ${fixtures}`}`,
    ...report.targets.map((t) => `  ${t.id}: ${t.baseUrl} (${t.mode}); models: ${modelsText(t)}`),
  ];
}

