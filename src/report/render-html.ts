import { CELL_STATUSES, FEATURE_IDS, type CellStatus, type CheckResult, type FeatureId } from '../core/types.js';
import type { Report, ReportCell } from './build.js';
import { repeatText } from './cell-text.js';
import { fixturesText, modelsText, toolText } from './header.js';
import { compareText, testOutcome } from './matrix.js';
import { buildProfiles, claimText, seenText } from './profile.js';

/**
 * Renders report.html: one self-contained page (inline CSS and script, no network, works from
 * file://). The matrix feature x target, the details of the opened cell, then feature x model
 * under each target; every cell links to its details (cases, failing checks with their findings, doc citation, expectation
 * link), shown by CSS `:target`, so reading needs no script; the script only adds the filters
 * by status and feature. Each status is written as a word, colour only repeats it.
 */
export function renderHtml(report: Report): string {
  const ids = new Map(report.cells.map((c, i) => [cellKey(c.feature, c.target, c.model), `cell-${i}`]));
  const targets = Object.keys(report.matrix[FEATURE_IDS[0]]);
  const body = [
    '<header>',
    '<h1>OpenAI compatibility report</h1>',
    provenance(report),
    '</header>',
    '<main>',
    filters(),
    '<h2 id="matrix">Feature × target</h2>',
    matrixTable(
      targets.map((t) => ({ label: t, key: (f: FeatureId) => cellKey(f, t) })),
      report,
      ids,
    ),
    `<p class="legend">${LEGEND.map(([s, text]) => `<span class="status st-${s}">${s}</span> ${text}`).join(' · ')}</p>`,
    '<p class="hint">Open a cell to see its cases, the failing checks and their findings.</p>',
    ...report.cells.map((c, i) => cellDetails(report, c, `cell-${i}`)),
    ...targets.map((t) => modelSection(report, t, ids)),
    profileSection(report),
    '</main>',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>OpenAI compatibility report · ${esc(report.targets.map((t) => t.id).join(', '))} · ${esc(report.startedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function cellKey(feature: string, target: string, model?: string): string {
  return JSON.stringify([feature, target, model ?? null]);
}

function provenance(report: Report): string {
  const { counts, exitCode } = report.summary;
  const fixtures = fixturesText(report);
  const rows: [string, string][] = [
    ['Tool', esc(toolText(report))],
    ['Started', `<time>${esc(report.startedAt)}</time>, finished <time>${esc(report.finishedAt)}</time>`],
    ...(fixtures === undefined ? [] : [['Fixtures', `<code>${esc(fixtures)}</code>`] as [string, string]]),
    ['Results', `${Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${esc(s)}`).join(', ') || 'none'} (exit code ${exitCode})`],
    ...report.targets.map((t): [string, string] => [`Target <code>${esc(t.id)}</code>`, `${esc(t.baseUrl)} (${esc(t.mode)}); models: ${esc(modelsText(t))}`]),
  ];
  return `<dl class="provenance">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function filters(): string {
  const boxes = CELL_STATUSES.map((s) => `<label><input type="checkbox" name="status" value="${s}" checked> ${s}</label>`).join(' ');
  const options = FEATURE_IDS.map((f) => `<option value="${f}">${f}</option>`).join('');
  return `<form class="filters" id="filters" aria-label="Filters">
<fieldset><legend>Status</legend>${boxes}</fieldset>
<label>Feature <select name="feature" id="feature-filter"><option value="">all features</option>${options}</select></label>
</form>`;
}

interface Column {
  label: string;
  key: (feature: FeatureId) => string;
}

function matrixTable(columns: Column[], report: Report, ids: Map<string, string>, caption?: string): string {
  const byKey = new Map(report.cells.map((c) => [cellKey(c.feature, c.target, c.model), c]));
  const head = `<tr><th scope="col">feature</th>${columns.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('')}</tr>`;
  const rows = FEATURE_IDS.map((feature) => {
    const cells = columns.map((col) => {
      const cell = byKey.get(col.key(feature));
      if (cell === undefined) return `<td class="cell" data-status="untested"><span class="status st-untested">untested</span></td>`;
      const warned = cell.status === 'pass' && cell.warnings > 0;
      const label = `${warned ? `pass (${cell.warnings} warning${cell.warnings === 1 ? '' : 's'})` : cell.status}${repeatText(cell)}`;
      return `<td class="cell" data-status="${cell.status}"><a class="status st-${warned ? 'warn' : cell.status}" href="#${ids.get(col.key(feature))}">${esc(label)}</a></td>`;
    });
    return `<tr data-feature="${feature}"><th scope="row">${feature}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix">${caption === undefined ? '' : `<caption>${esc(caption)}</caption>`}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function modelSection(report: Report, target: string, ids: Map<string, string>): string {
  const models = [...new Set(report.cells.filter((c) => c.target === target && c.model !== undefined).map((c) => c.model!))].sort(compareText);
  if (models.length === 0) return '';
  return `<h2>Feature × model: <code>${esc(target)}</code></h2>\n${matrixTable(
    models.map((m) => ({ label: m || '(no model)', key: (f: FeatureId) => cellKey(f, target, m) })),
    report,
    ids,
  )}`;
}

function profileSection(report: Report): string {
  const profiles = buildProfiles(report);
  if (profiles.length === 0) return '';
  const parts = profiles.map((p) => {
    const rows = p.features.map((f) => {
      const claim = f.claimed === undefined ? claimText(undefined) : `${f.claimed.doc ? link(f.claimed.doc, claimText(f.claimed)) : claimText(f.claimed)}${f.claimed.note ? `: ${esc(f.claimed.note)}` : ''}`;
      return `<tr data-feature="${f.feature}"><th scope="row">${f.feature}</th><td>${esc(f.models.join(', '))}</td><td>${claim}</td><td><span class="status st-${f.observed}">${f.observed}</span></td><td>${f.agreement}</td><td>${f.why.map(esc).join('<br>')}</td></tr>`;
    });
    const deviations = p.deviations.map(
      (d) => `<li><strong>${esc(d.deviation.title)}</strong> (${esc(seenText(d))}${d.links.length > 0 ? `; known: ${d.links.map((l) => link(l, l)).join(', ')}` : ''}). Workaround: ${esc(d.deviation.workaround)}</li>`,
    );
    return `<section class="profile" aria-label="profile ${esc(p.target)}"><h3><code>${esc(p.target)}</code></h3>
<table class="claims"><thead><tr><th>feature</th><th>models</th><th>claimed</th><th>observed</th><th></th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${deviations.length > 0 ? `<p>Known deviations seen, and the client-side workaround:</p><ul class="deviations">${deviations.join('')}</ul>` : ''}</section>`;
  });
  return `<h2>Compatibility profile</h2>\n${parts.join('\n')}`;
}

interface Test {
  case: string;
  transport: string;
  model: string;
  results: CheckResult[];
}

function cellDetails(report: Report, cell: ReportCell, id: string): string {
  const results = report.results.filter(
    (r) => r.feature === cell.feature && r.target === cell.target && (cell.model === undefined || r.model === cell.model),
  );
  const tests = new Map<string, Test>();
  for (const r of results) {
    const key = JSON.stringify([r.case, r.transport, r.model]);
    const test = tests.get(key) ?? { case: r.case, transport: r.transport, model: r.model, results: [] };
    test.results.push(r);
    tests.set(key, test);
  }
  const title = `${cell.feature} × ${cell.target}${cell.model === undefined ? '' : ` / ${cell.model}`}`;
  const notes = cell.notes.length > 0 ? `<ul class="notes">${cell.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const body = tests.size === 0 ? '<p>No case ran for this cell.</p>' : [...tests.values()].map((t) => testDetails(report, t)).join('\n');
  return `<section class="detail" id="${id}" data-feature="${cell.feature}" aria-label="${esc(title)}">
<h3>${esc(title)}: <span class="status st-${cell.status}">${cell.status}</span> <a class="close" href="#matrix">back to the matrix</a></h3>
${notes}${body}
</section>`;
}

function testDetails(report: Report, test: Test): string {
  const counted = test.results.filter((r) => r.status !== 'skip');
  const outcome: CellStatus | 'skip' = counted.length === 0 ? 'skip' : testOutcome(counted);
  const info = report.cases?.[test.case];
  const doc = info === undefined ? '' : `<p class="doc">${esc(info.description)} <span class="cite">Documented in ${link(info.doc.url, info.doc.section)}</span></p>`;
  const shown = test.results.filter((r) => r.status !== 'pass' || r.repeat !== undefined);
  const passing = test.results.length - shown.length;
  const rows = shown.map(
    (r) => `<tr><td><span class="status st-${r.status}">${r.status}</span></td><td><code>${esc(r.step)}/${esc(r.check)}</code></td><td>${esc(r.message)}${findings(r)}${r.expectation === undefined ? '' : `<div class="expectation">expectation: ${link(r.expectation, r.expectation)}</div>`}</td></tr>`,
  );
  const table = rows.length > 0 ? `<table class="checks"><thead><tr><th>status</th><th>check</th><th>details</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '';
  return `<article class="test">
<h4><code>${esc(test.case)}</code> [${esc(test.transport)}]${test.model === '' ? '' : ` ${esc(test.model)}`}: <span class="status st-${outcome}">${outcome}</span></h4>
${doc}${table}<p class="passing">${passing} check${passing === 1 ? '' : 's'} passed.</p>
</article>`;
}

function findings(r: CheckResult): string {
  if (r.findings === undefined || r.findings.length === 0) return '';
  const rows = r.findings.map(
    (f) => `<tr><td><code>${esc(f.path || '/')}</code></td><td>${esc(f.expected)}</td><td>${esc(f.received)}</td><td>${f.severity}${f.note === undefined ? '' : `: ${esc(f.note)}`}</td></tr>`,
  );
  return `<table class="findings"><thead><tr><th>path</th><th>expected</th><th>received</th><th>severity</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A link for http(s) URLs, plain text for anything else (nothing else becomes an href). */
function link(url: string, text: string): string {
  return /^https?:\/\//.test(url) ? `<a href="${esc(url)}" rel="noreferrer">${esc(text)}</a>` : esc(text);
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const LEGEND: [string, string][] = [
  ['pass', 'every must check passes (or fails as expected)'],
  ['warn', 'pass with warnings: a should check failed'],
  ['partial', 'some cases fail, others pass'],
  ['fail', 'no case passes'],
  ['unsupported', 'declined clearly'],
  ['error', 'transport trouble'],
  ['untested', 'no result'],
];

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
header,main{max-width:1100px;margin:0 auto;padding:0 16px}
h1{font-size:1.5em;margin:16px 0 8px}h2{font-size:1.2em;margin:24px 0 8px}h3{font-size:1.05em}h4{font-size:1em;margin:12px 0 4px}
.provenance{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}.provenance dt{font-weight:600}.provenance dd{margin:0}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.matrix td.cell{text-align:center;min-width:7em}
.status{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:600;text-decoration:none;color:#1a1a1a}
a.status{text-decoration:underline dotted}
.st-pass{background:#c8f0c8}.st-partial{background:#ffe9a8}.st-fail{background:#ffc4c4}.st-unsupported{background:#e2e2e2}
.st-error{background:#f0c8f0}.st-untested{background:#f6f6f6;color:#666;font-weight:400}.st-warn{background:#fff1c1}
.st-skip{background:#eee;font-weight:400}.st-xfail{background:#dfe9ff}.st-xpass{background:#ffe0c4}
.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:12px 0}.filters fieldset{border:1px solid #ccc}
.detail{display:none;border:2px solid #555;padding:8px 12px;margin:12px 0}.detail:target{display:block}
.checks,.findings{margin:4px 0;font-size:.92em}.findings{margin-top:6px}.doc{margin:2px 0}.cite{color:#444}
.legend{font-size:.9em;line-height:2}.passing{color:#444;margin:2px 0}.close{font-weight:400;font-size:.9em;margin-left:8px}.hint{color:#444}
tr.filtered-out{display:none}td.dimmed>.status{opacity:.25}
`;

// Filters: a row is shown when its feature is selected and one of its cells has a checked status;
// cells with an unchecked status are dimmed (their word stays readable).
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  function apply() {
    var statuses = Array.prototype.filter.call(form.querySelectorAll('input[name=status]'), function (b) { return b.checked; }).map(function (b) { return b.value; });
    var feature = document.getElementById('feature-filter').value;
    document.querySelectorAll('table.matrix tbody tr').forEach(function (row) {
      var any = false;
      row.querySelectorAll('td.cell').forEach(function (cell) {
        var on = statuses.indexOf(cell.getAttribute('data-status')) >= 0;
        cell.classList.toggle('dimmed', !on);
        any = any || on;
      });
      row.classList.toggle('filtered-out', !any || (feature !== '' && row.getAttribute('data-feature') !== feature));
    });
  }
  form.addEventListener('change', apply);
  apply();
})();
`;
