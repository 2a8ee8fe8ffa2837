import { appendFileSync } from 'node:fs';
import type { ReportDiff } from './diff.js';
import { changeWhere } from './render-diff.js';

// GitHub Actions integration: the step summary (a Markdown file named by GITHUB_STEP_SUMMARY)
// and workflow commands on stdout (`::error ...`), which the runner turns into annotations.

/** Appends Markdown to the job's step summary when GITHUB_STEP_SUMMARY is set; returns whether it did. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, `${markdown.trimEnd()}\n\n`);
  return true;
}

/** One `::error` workflow command per regression (only under GitHub Actions). */
export function regressionAnnotations(diff: ReportDiff, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_ACTIONS !== 'true') return '';
  return diff.regressions
    .map((c) => {
      const checks = [...new Set(c.results.map((r) => r.check))].join(', ');
      return `::error title=${command(`oai-compat regression: ${c.target} ${c.feature}`, true)}::${command(`${changeWhere(c)}: ${c.old} → ${c.new}${checks ? ` (${checks})` : ''}`, false)}\n`;
    })
    .join('');
}

/** Escapes a workflow command value the way @actions/core does. */
function command(text: string, property: boolean): string {
  const data = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return property ? data.replace(/:/g, '%3A').replace(/,/g, '%2C') : data;
}
