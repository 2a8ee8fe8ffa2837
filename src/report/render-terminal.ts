import { FEATURE_IDS, type CellStatus } from '../core/types.js';
import type { Report } from './build.js';
import { repeatText, targetCells } from './cell-text.js';
import { headerLines } from './header.js';

/** Options of {@link renderTerminal}. */
export interface TerminalOptions {
  /** Colour cell statuses with ANSI codes; the text reads the same without. */
  color: boolean;
  /** Where the full report is, named in the summary line. */
  reportPath?: string;
}

type Paint = CellStatus | 'warn';

/** At most this many failing results are listed. */
export const MAX_FAILURES = 20;
/** Findings printed per failing result. */
const MAX_FINDINGS = 3;

const COLORS: Record<Paint, number> = {
  pass: 32,
  warn: 33,
  partial: 33,
  fail: 31,
  unsupported: 90,
  error: 35,
  untested: 90,
};

/**
 * Renders the end-of-run console text: the header (tool, dates, fixtures, targets), the
 * feature x target matrix as plain columns,
 * up to {@link MAX_FAILURES} failing or erroring results with their first findings, and a
 * one-line summary with the counts per status, the exit code and the report path.
 */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const paint = (text: string, status: Paint) => (options.color ? `\x1b[${COLORS[status]}m${text}\x1b[39m` : text);
  const lines = [...headerLines(report), '', ...matrixLines(report, paint), ''];

  const failures = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (failures.length > 0) {
    const shown = failures.slice(0, MAX_FAILURES);
    lines.push(
      failures.length > shown.length ? `Failures (first ${shown.length} of ${failures.length}):` : 'Failures:',
    );
    for (const r of shown) {
      const model = r.model === '' ? '' : ` ${r.model}`;
      const status = r.status === 'fail' ? 'fail' : 'error';
      const where = `${r.target}${model} ${r.feature}/${r.case}/${r.step} [${r.transport}] ${r.check}`;
      const findings = r.findings ?? [];
      if (findings.length === 0) {
        lines.push(`  ${paint(status.toUpperCase(), status)} ${where}: ${oneLine(r.message)}`);
        continue;
      }
      // One line per finding (the `must` ones first), instead of the message that sums them up.
      lines.push(`  ${paint(status.toUpperCase(), status)} ${where}`);
      const ordered = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'must' ? -1 : 1));
      for (const f of ordered.slice(0, MAX_FINDINGS)) {
        lines.push(`      ${f.path || '/'}: expected ${oneLine(f.expected)}, received ${oneLine(f.received)}${f.severity === 'should' ? ' (should)' : ''}`);
      }
      if (findings.length > MAX_FINDINGS) lines.push(`      ... and ${findings.length - MAX_FINDINGS} more in the report`);
    }
    lines.push('');
  }

  const counts = Object.entries(report.summary.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const where = options.reportPath === undefined ? '' : ` · details: ${options.reportPath}`;
  lines.push(`${counts.length > 0 ? counts.join(', ') : 'no results'} · exit code ${report.summary.exitCode}${where}`);
  return `${lines.join('\n')}\n`;
}

function matrixLines(report: Report, paint: (text: string, status: Paint) => string): string[] {
  const targets = Object.keys(report.matrix[FEATURE_IDS[0]]);
  const cells = targetCells(report);
  const rows = FEATURE_IDS.map((feature) =>
    targets.map((target) => {
      const status = report.matrix[feature][target] ?? 'untested';
      const cell = cells.get(`${feature} ${target}`);
      const n = cell?.warnings ?? 0;
      return status === 'pass' && n > 0
        ? { status: 'warn' as const, text: `pass (${n} warn)${repeatText(cell)}` }
        : { status, text: `${status}${repeatText(cell)}` };
    }),
  );
  const featureWidth = Math.max('feature'.length, ...FEATURE_IDS.map((f) => f.length));
  const widths = targets.map((t, i) => Math.max(t.length, ...rows.map((row) => row[i].text.length)));
  const header = ['feature'.padEnd(featureWidth), ...targets.map((t, i) => t.padEnd(widths[i]))];
  return [
    header.join('  ').trimEnd(),
    ...FEATURE_IDS.map((feature, f) =>
      [
        feature.padEnd(featureWidth),
        ...rows[f].map((c, i) => paint(c.text, c.status) + ' '.repeat(widths[i] - c.text.length)),
      ]
        .join('  ')
        .trimEnd(),
    ),
  ];
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}
