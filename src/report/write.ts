import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './build.js';
import { renderMarkdown } from './render-markdown.js';

/** Writes `report.json` (2-space JSON) and `report.md` into `outDir`, creating it; returns both paths. */
export async function writeReport(report: Report, outDir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'report.json');
  const markdown = join(outDir, 'report.md');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return { json, markdown };
}
