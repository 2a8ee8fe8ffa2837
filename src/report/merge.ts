import { ConfigError } from '../core/errors.js';
import type { ReportInput, ReportTarget } from './build.js';
import type { ReportFile } from './read.js';

/**
 * Merges reports (shards of one run, or runs of different targets) into the input of one
 * report: every result, the targets in first-seen order, the earliest start and latest finish,
 * the case docs of all. A test (target, feature, case, transport) found in two files is a
 * ConfigError: two runs of the same thing do not merge. Provenance is kept when every file
 * has the same; otherwise it is left out and `notes` says why, since no single one is true.
 */
export function mergeReports(files: ReportFile[]): { input: ReportInput; notes: string[] } {
  if (files.length === 0) throw new ConfigError('report needs at least one report.json (or a folder holding one).');
  const owner = new Map<string, number>();
  const targets = new Map<string, ReportTarget>();
  const input: ReportInput = { tool: files[0]!.report.tool, startedAt: '', finishedAt: '', targets: [], results: [], cases: {} };
  for (const [index, { file, report }] of files.entries()) {
    for (const t of report.targets) if (!targets.has(t.id)) targets.set(t.id, t);
    const own = new Set<string>();
    for (const r of report.results) {
      const key = JSON.stringify([r.target, r.feature, r.case, r.transport]);
      const earlier = owner.get(key);
      if (earlier !== undefined && earlier !== index) {
        throw new ConfigError(
          `Failed to merge ${file}: ${r.target} ${r.feature}/${r.case} [${r.transport}] is in ${files[earlier]!.file} too. Merge the shards of one run, or runs of different targets.`,
        );
      }
      own.add(key);
      input.results.push(r);
    }
    for (const key of own) owner.set(key, index);
    Object.assign(input.cases!, report.cases ?? {});
  }
  input.targets = [...targets.values()];
  input.startedAt = files.map((f) => f.report.startedAt).sort()[0]!;
  input.finishedAt = files.map((f) => f.report.finishedAt).sort().at(-1)!;
  const notes: string[] = [];
  const provenances = new Set(files.map((f) => JSON.stringify(f.report.provenance ?? null)));
  if (provenances.size === 1 && files[0]!.report.provenance !== undefined) input.provenance = files[0]!.report.provenance;
  else if (provenances.size > 1) {
    notes.push(`the reports were made with different tools or fixture sets (${files.map((f) => `${f.file}: ${f.report.provenance?.fixtures.digest ?? 'no provenance'}`).join('; ')}); the merged report has no provenance.`);
  }
  return { input, notes };
}
