import type { CheckResult } from '../core/types.js';
import type { Report } from './build.js';
import type { ReportDiff, TestChange } from './diff.js';
import { headerLines } from './header.js';

/** The two sides of a diff, as the user named them. */
export interface DiffSides {
  old: { file: string; report: Report };
  new: { file: string; report: Report };
}

interface Section {
  title: string;
  tag: string;
  changes: TestChange[];
}

function sections(diff: ReportDiff): Section[] {
  return [
    { title: 'Regressions', tag: 'REGRESSED', changes: diff.regressions },
    { title: 'Infrastructure trouble (error: not counted as regressions)', tag: 'ERROR', changes: diff.infrastructure },
    { title: 'Fixes', tag: 'FIXED', changes: diff.fixes },
    { title: 'New cases', tag: 'NEW', changes: diff.added },
    { title: 'Removed cases', tag: 'REMOVED', changes: diff.removed },
    { title: 'Other changes', tag: 'CHANGED', changes: diff.changed },
  ];
}

/** e.g. `gemini tools/tools-forced [streaming]`. */
export function changeWhere(c: TestChange): string {
  return `${c.target} ${c.feature}/${c.case} [${c.transport}]`;
}

/** e.g. `pass → fail`, `new: fail`, `removed (was pass)`; with the model, and its change. */
function changeWhat(c: TestChange): string {
  const outcome = c.old === undefined ? `new: ${c.new}` : c.new === undefined ? `removed (was ${c.old})` : `${c.old} → ${c.new}`;
  const model = c.model === "" ? "" : c.oldModel === undefined ? ` (${c.model})` : ` (model ${c.oldModel} → ${c.model})`;
  return `${outcome}${model}`;
}

/** One line per failing result: the check and its first finding, else its message. */
function resultLine(r: CheckResult): string {
  const f = r.findings?.[0];
  const detail = f === undefined ? r.message : `${f.path || '/'}: expected ${f.expected}, received ${f.received}`;
  return `${r.status} ${r.step}/${r.check}: ${detail.replace(/\s*\r?\n\s*/g, ' ')}`;
}

function summaryLine(diff: ReportDiff): string {
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return [
    plural(diff.regressions.length, 'regression', 'regressions'),
    `${diff.infrastructure.length} infrastructure`,
    plural(diff.fixes.length, 'fix', 'fixes'),
    `${diff.added.length} new`,
    `${diff.removed.length} removed`,
    `${diff.changed.length} other`,
  ].join(', ');
}

/** The diff for a terminal: both headers, each non-empty section, the cell changes, a summary line. */
export function renderDiffTerminal(diff: ReportDiff, sides: DiffSides): string {
  const lines = [`old: ${sides.old.file}`, ...headerLines(sides.old.report).map((l) => `  ${l}`), `new: ${sides.new.file}`, ...headerLines(sides.new.report).map((l) => `  ${l}`), ''];
  for (const s of sections(diff)) {
    if (s.changes.length === 0) continue;
    lines.push(`${s.title} (${s.changes.length}):`);
    for (const c of s.changes) {
      lines.push(`  ${s.tag} ${changeWhere(c)}: ${changeWhat(c)}`);
      if (c.new !== undefined) for (const r of c.results) lines.push(`      ${resultLine(r)}`);
    }
    lines.push('');
  }
  if (diff.cells.length > 0) {
    lines.push(`Matrix changes (${diff.cells.length}):`, ...diff.cells.map((c) => `  ${c.feature} × ${c.target}: ${c.old} → ${c.new}`), '');
  }
  lines.push(`${summaryLine(diff)} · exit code ${diff.exitCode}`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown (for diff.md and the GitHub step summary). */
export function renderDiffMarkdown(diff: ReportDiff, sides: DiffSides): string {
  const side = (label: string, s: DiffSides['old']) => {
    const [first, ...targets] = headerLines(s.report);
    return [`- ${label}: \`${s.file}\`: ${first}`, ...targets.map((t) => `  - ${t.trim()}`)];
  };
  const lines = ['# oai-compat diff', '', ...side('Old', sides.old), ...side('New', sides.new), '', `**${summaryLine(diff)}** (exit code ${diff.exitCode})`];
  for (const s of sections(diff)) {
    if (s.changes.length === 0) continue;
    lines.push('', `## ${s.title} (${s.changes.length})`, '', '| target | feature | case | transport | change | failing checks |', '|---|---|---|---|---|---|');
    for (const c of s.changes) {
      const checks = c.new === undefined ? '' : c.results.map((r) => escape(resultLine(r))).join('<br>');
      lines.push(`| ${[c.target, c.feature, c.case, c.transport, changeWhat(c)].map(escape).join(' | ')} | ${checks} |`);
    }
  }
  if (diff.cells.length > 0) {
    lines.push('', `## Matrix changes (${diff.cells.length})`, '', '| feature | target | old | new |', '|---|---|---|---|');
    for (const c of diff.cells) lines.push(`| ${c.feature} | ${escape(c.target)} | ${c.old} | ${c.new} |`);
  }
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
