import type { RepeatCount } from '../core/types.js';
import type { Report, ReportCell } from './build.js';

// What the renderers (terminal, Markdown, HTML) share about matrix cells.

/** Under `--repeat`, what a cell adds to its status: e.g. ` · 14/15 runs` (behaviour checks' passes over runs). */
export function repeatText(cell: Pick<ReportCell, 'repeat'> | undefined): string {
  const repeat: RepeatCount | undefined = cell?.repeat;
  return repeat === undefined ? '' : ` · ${repeat.passed}/${repeat.runs} runs`;
}

/** The feature x target cells of a report, by `feature target`. */
export function targetCells(report: Report): Map<string, ReportCell> {
  return new Map(report.cells.filter((c) => c.model === undefined).map((c) => [`${c.feature} ${c.target}`, c]));
}
