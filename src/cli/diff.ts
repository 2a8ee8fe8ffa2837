import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { buildReport, type Report } from '../report/build.js';
import { diffReports } from '../report/diff.js';
import { appendStepSummary, regressionAnnotations } from '../report/github.js';
import { readReportFile, type ReportFile } from '../report/read.js';
import { renderDiffMarkdown, renderDiffTerminal } from '../report/render-diff.js';

const FORMATS = ['terminal', 'markdown'] as const;

/** `oai-compat diff OLD NEW`: exit 1 on regressions only, 2 on a bad file or flag. */
export async function diffCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const format = String(values.format);
  if (!(FORMATS as readonly string[]).includes(format)) throw new ConfigError(`--format: unknown format "${format}". Valid formats: ${FORMATS.join(', ')}.`);
  if (positionals.length !== 2) throw new ConfigError(`diff needs two reports, OLD.json and NEW.json (got ${positionals.length}). See oai-compat diff --help.`);
  const [read, now] = positionals.map((p) => readReportFile(p)) as [ReportFile, ReportFile];
  const old = { file: read.file, report: renameTargets(read.report, parseTargetMap(values['target-map'])) };
  const diff = diffReports(old.report, now.report);
  const sides = { old, new: now };
  const markdown = renderDiffMarkdown(diff, sides);
  process.stdout.write(format === 'markdown' ? markdown : renderDiffTerminal(diff, sides));
  process.stdout.write(regressionAnnotations(diff));
  appendStepSummary(markdown);
  return diff.exitCode;
}

/** --target-map old=new,...: compare a vendor switch, the old target's results under the new id. */
function parseTargetMap(value: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (value === undefined) return map;
  for (const pair of String(value).split(',').map((s) => s.trim()).filter(Boolean)) {
    const [from, to, ...rest] = pair.split('=');
    if (!from || !to || rest.length > 0) throw new ConfigError(`--target-map: "${pair}" is not old=new (e.g. --target-map gemini=openai).`);
    map.set(from, to);
  }
  return map;
}

/** The report with target ids renamed, its matrix rebuilt. */
function renameTargets(report: Report, map: Map<string, string>): Report {
  if (map.size === 0) return report;
  const rename = (id: string) => map.get(id) ?? id;
  return buildReport({
    ...report,
    targets: report.targets.map((t) => ({ ...t, id: rename(t.id) })),
    results: report.results.map((r) => ({ ...r, target: rename(r.target) })),
  });
}

/**
 * `run --baseline FILE`, once the run's report is written: prints the diff, writes diff.md
 * beside the report, and returns the diff's exit code.
 */
export function compareWithBaseline(baseline: ReportFile, report: Report, outDir: string): 0 | 1 {
  const diff = diffReports(baseline.report, report);
  const sides = { old: baseline, new: { file: path.join(outDir, 'report.json'), report } };
  const markdown = renderDiffMarkdown(diff, sides);
  writeFileSync(path.join(outDir, 'diff.md'), markdown);
  process.stdout.write(`\nAgainst the baseline:\n${renderDiffTerminal(diff, sides)}`);
  process.stdout.write(regressionAnnotations(diff));
  appendStepSummary(markdown);
  return diff.exitCode;
}
