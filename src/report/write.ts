import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './build.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

/** Writes `report.json` (2-space JSON), `report.md` and `report.html` into `outDir`, creating it; returns the paths. */
export async function writeReport(report: Report, outDir: string): Promise<{ json: string; markdown: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'report.json');
  const markdown = join(outDir, 'report.md');
  const html = join(outDir, 'report.html');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  await writeFile(html, renderHtml(report));
  return { json, markdown, html };
}
