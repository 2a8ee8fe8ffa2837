import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReport } from '../report/build.js';
import { mergeReports } from '../report/merge.js';
import { readReportFile } from '../report/read.js';
import { renderJunit } from '../report/render-junit.js';
import { renderTerminal } from '../report/render-terminal.js';
import { writeReport } from '../report/write.js';

/** `oai-compat report FILES... --out DIR`: merge shards or targets into one report and re-render it. */
export async function reportCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const { input, notes } = mergeReports(positionals.map((p) => readReportFile(p)));
  const report = buildReport(input);
  const outDir = path.resolve(String(values.out));
  const paths = await writeReport(report, outDir);
  // A run's junit.xml comes from vitest; a merged report renders its own.
  await writeFile(path.join(outDir, 'junit.xml'), renderJunit(report));
  process.stdout.write(renderTerminal(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, reportPath: paths.markdown }));
  for (const note of notes) process.stderr.write(`Note: ${note}\n`);
  process.stdout.write(`Report written to ${paths.json}\n`);
  return report.summary.exitCode;
}
