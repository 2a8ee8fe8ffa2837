import type { CheckStatus, Finding } from '../core/types.js';

/** One line naming the first findings, `must` ones first: the message of a failing result. */
export function summariseFindings(findings: Finding[]): string {
  const mustFirst = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'must' ? -1 : 1));
  const shown = mustFirst.slice(0, 3).map((f) => `${f.path || '/'}: expected ${f.expected}, received ${f.received}${f.note ? ` (${f.note})` : ''}`);
  return findings.length > 3 ? `${shown.join('; ')}; and ${findings.length - 3} more` : shown.join('; ');
}

/** A check's findings as a result: `pass` with none, `fail` with a `must` one, else `warn`. */
export function verdictOf(findings: Finding[]): { status: CheckStatus; message: string } {
  const status: CheckStatus = findings.length === 0 ? 'pass' : findings.some((f) => f.severity === 'must') ? 'fail' : 'warn';
  return { status, message: status === 'pass' ? '' : summariseFindings(findings) };
}
