import { FEATURE_IDS, type CellStatus, type CheckResult, type CheckStatus } from '../core/types.js';
import type { Report, ReportCell } from './build.js';
import { repeatText, targetCells } from './cell-text.js';
import { fixturesText, modelsText, toolText } from './header.js';
import { buildProfiles, claimText, seenText } from './profile.js';
import { judgedFeatures, undocumentedUnsupported } from './judged.js';

const SYMBOLS: Record<CellStatus, string> = {
  pass: '✅',
  partial: '🟡',
  fail: '❌',
  unsupported: '⛔',
  error: '💥',
  untested: '—',
};

const LEGEND = [
  '✅ pass: every `must` check passes or fails as expected (xfail)',
  '⚠️ pass with warnings: a `should` check failed',
  '🟡 partial: some cases fail, others pass',
  '❌ fail: no case passes',
  '⛔ unsupported: the endpoint declines the feature clearly',
  '💥 error: transport trouble (timeout, reset, 5xx, unparseable answer)',
  '— untested: no result',
];

/** A matrix cell as text: symbol and word, e.g. `✅ pass`, `⚠️ pass (2 warnings)`, `🟡 partial`. */
function cellLabel(status: CellStatus, warnings: number, cell?: ReportCell): string {
  if (status === 'pass' && warnings > 0) return `⚠️ pass (${warnings} warning${warnings === 1 ? '' : 's'})${repeatText(cell)}`;
  return `${SYMBOLS[status]} ${status}${repeatText(cell)}`;
}

/**
 * Renders report.md: run info, the feature x target matrix with a legend, the notes of the
 * cells, then tables of failing/erroring results, warnings and unexpected passes. The output
 * depends on the report only.
 */
export function renderMarkdown(report: Report): string {
  const lines = [renderMarkdownSummary(report).trimEnd()];
  lines.push(...modelTables(report));
  lines.push(...profileSection(report));
  lines.push('', '## Notes', '', ...bulletsOrNone(cellNotes(report)));
  lines.push('', ...resultSection('Failures', report.results, ['fail', 'error']));
  lines.push('', ...resultSection('Declined without documentation (unsupported, not judged)', undocumentedUnsupported(report.results), ['unsupported']));
  lines.push('', ...resultSection('Warnings', report.results, ['warn']));
  lines.push('', ...resultSection('Unexpected passes', report.results, ['xpass']));
  return `${lines.join('\n')}\n`;
}

/** The head of report.md: run info and the matrix with its legend (what a CI step summary shows). */
export function renderMarkdownSummary(report: Report): string {
  const lines = ['# OpenAI compatibility report', '', ...interruption(report), ...runInfo(report), '', '## Matrix', '', ...matrixTable(report)];
  lines.push('', 'Legend:', '', ...LEGEND.map((entry) => `- ${entry}`));
  return `${lines.join('\n')}\n`;
}

/** A partial report says so first, with the tests that did not finish. */
function interruption(report: Report): string[] {
  if (!report.interrupted) return [];
  const { signal, notRun } = report.interrupted;
  const list = notRun.length > 0 ? `: ${notRun.map((t) => `\`${t}\``).join(', ')}` : '';
  return [`> **Interrupted by ${signal}: this report is partial.** ${notRun.length} test${notRun.length === 1 ? '' : 's'} did not run or finish${list}.`, ''];
}

function runInfo(report: Report): string[] {
  const { counts, exitCode } = report.summary;
  const summary = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const fixtures = fixturesText(report);
  return [
    `- Tool: ${toolText(report)}`,
    `- Started: ${report.startedAt}, finished: ${report.finishedAt}`,
    ...(fixtures === undefined ? [] : [`- Fixtures: \`${fixtures}\``]),
    `- Results: ${summary.length > 0 ? summary.join(', ') : 'none'} (exit code ${exitCode})`,
    `- Features really judged: ${judgedFeatures(report.results).length} of ${FEATURE_IDS.length} (a feature is judged when at least one check gave a verdict; unsupported, skip and error give none)`,
    '- Targets:',
    ...report.targets.map((t) => `  - \`${t.id}\`: ${t.baseUrl} (${t.mode}); models: ${modelsText(t, (n) => `\`${n}\``)}`),
  ];
}

function matrixTable(report: Report): string[] {
  const targets = Object.keys(report.matrix[FEATURE_IDS[0]]);
  const cells = targetCells(report);
  return [
    `| feature | ${targets.map(escapeCell).join(' | ')} |`,
    `|---|${targets.map(() => '---|').join('')}`,
    ...FEATURE_IDS.map((feature) => {
      const labels = targets.map((t) => {
        const cell = cells.get(`${feature} ${t}`);
        return cellLabel(report.matrix[feature][t] ?? 'untested', cell?.warnings ?? 0, cell);
      });
      return `| ${feature} | ${labels.join(' | ')} |`;
    }),
  ];
}

/** Feature x model, one table per target that has results. */
function modelTables(report: Report): string[] {
  return report.targets.flatMap((t) => {
    const cells = report.cells.filter((c) => c.target === t.id && c.model !== undefined);
    const models = [...new Set(cells.map((c) => c.model!))].sort();
    if (models.length === 0) return [];
    const byKey = new Map(cells.map((c) => [`${c.feature} ${c.model}`, c]));
    return [
      '',
      `## By model: \`${t.id}\``,
      '',
      `| feature | ${models.map((m) => escapeCell(m || '(no model)')).join(' | ')} |`,
      `|---|${models.map(() => '---|').join('')}`,
      ...FEATURE_IDS.map((feature) => {
        const labels = models.map((m) => {
          const cell = byKey.get(`${feature} ${m}`);
          return cell === undefined ? cellLabel('untested', 0) : cellLabel(cell.status, cell.warnings, cell);
        });
        return `| ${feature} | ${labels.join(' | ')} |`;
      }),
    ];
  });
}

/** Per target: claimed vs observed per feature, and the known deviations seen with their workarounds. */
function profileSection(report: Report): string[] {
  const profiles = buildProfiles(report);
  if (profiles.length === 0) return [];
  const lines = ['', '## Compatibility profile'];
  for (const p of profiles) {
    lines.push('', `### \`${p.target}\``, '', '| feature | models | claimed | observed | | why |', '|---|---|---|---|---|---|');
    for (const f of p.features) {
      const claim = f.claimed === undefined ? claimText(undefined) : `${claimText(f.claimed)}${f.claimed.doc ? ` ([doc](${f.claimed.doc}))` : ''}${f.claimed.note ? `: ${f.claimed.note}` : ''}`;
      lines.push(`| ${f.feature} | ${escapeCell(f.models.join(', '))} | ${escapeCell(claim)} | ${cellLabel(f.observed, 0)} | ${f.agreement} | ${f.why.map(escapeCell).join('<br>')} |`);
    }
    if (p.deviations.length > 0) {
      lines.push('', 'Known deviations seen, and the client-side workaround:', '');
      for (const d of p.deviations) {
        const known = d.links.length > 0 ? `; known: ${d.links.join(', ')}` : '';
        lines.push(`- **${d.deviation.title}** (${seenText(d)}${known}). Workaround: ${d.deviation.workaround}`);
      }
    }
  }
  return lines;
}

/** Notes of the feature x target cells, prefixed with the cell. */
function cellNotes(report: Report): string[] {
  return report.cells
    .filter((c) => c.model === undefined)
    .flatMap((c) => c.notes.map((note) => `${c.feature} × \`${c.target}\` (${c.status}): ${note}`));
}

function resultSection(title: string, results: CheckResult[], statuses: CheckStatus[]): string[] {
  const rows = results.filter((r) => statuses.includes(r.status));
  const heading = `## ${title}${rows.length > 0 ? ` (${rows.length})` : ''}`;
  if (rows.length === 0) return [heading, '', 'None.'];
  return [
    heading,
    '',
    '| target | model | feature | case | step | transport | check | status | details |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      // The message sums up the findings; list the findings themselves when there are any.
      const details = (r.findings ?? []).map(
        (f) => `${f.path || '/'}: expected ${f.expected}, received ${f.received}${f.note === undefined ? '' : ` (${f.note})`}`,
      );
      if (details.length === 0) details.push(r.message);
      if (r.expectation !== undefined) details.push(`expectation: ${r.expectation}`);
      const cells = [r.target, r.model, r.feature, r.case, r.step, r.transport, r.check, r.status];
      return `| ${[...cells.map(escapeCell), details.map(escapeCell).join('<br>')].join(' | ')} |`;
    }),
  ];
}

function bulletsOrNone(items: string[]): string[] {
  return items.length > 0 ? items.map((item) => `- ${item}`) : ['None.'];
}

/** Makes text safe inside a Markdown table cell: no pipes, no HTML, no line breaks. */
function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}
