import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.js';
import type { CheckResult } from '../core/types.js';
import { validateFormat } from '../schema/registry.js';
import type { Expectation, Expectations } from '../types/generated/expectations.js';

/**
 * Reads and validates an expectations file. Case and check ids must exist, so a typo cannot
 * silently expect nothing.
 */
export function loadExpectations(file: string, shownAs: string, known: { targetId: string; caseIds: ReadonlySet<string>; checkIds: ReadonlySet<string> }): Expectation[] {
  if (!existsSync(file)) throw new ConfigError(`Failed to load expectations: no file ${shownAs}.`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Failed to load ${shownAs}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const findings = validateFormat('expectations.schema.json', data);
  if (findings.length > 0) {
    const lines = findings.slice(0, 5).map((f) => `  - field ${f.path || '/'}: expected ${f.expected}, got ${f.received}`);
    throw new ConfigError(`Failed to load ${shownAs}: it does not match schemas/expectations.schema.json.\n${lines.join('\n')}`);
  }
  const file_ = data as Expectations;
  if (file_.target !== known.targetId) {
    throw new ConfigError(`Failed to load ${shownAs}: it is for target "${file_.target}", but the run is against "${known.targetId}". Pass the file of this target.`);
  }
  file_.expectations.forEach((e, i) => {
    if (!known.caseIds.has(e.case)) throw new ConfigError(`Failed to load ${shownAs}: field /expectations/${i}/case names unknown case "${e.case}". Use a case id from fixtures/.`);
    if (e.check && !known.checkIds.has(e.check)) throw new ConfigError(`Failed to load ${shownAs}: field /expectations/${i}/check names unknown check "${e.check}".`);
  });
  return file_.expectations;
}

function matches(e: Expectation, r: CheckResult): boolean {
  return (
    e.case === r.case &&
    (e.step === undefined || e.step === r.step) &&
    (e.check === undefined || e.check === r.check) &&
    (e.transport === undefined || e.transport === r.transport) &&
    (e.models === undefined || e.models.includes(r.model))
  );
}

/**
 * A result that an expectation covers: a known status that is not `pass` becomes `xfail`; a
 * `pass` that was not among the expected statuses becomes `xpass`, so stale entries get noticed.
 * Known intermittents list several statuses, `pass` among them.
 */
export function applyExpectations(results: CheckResult[], expectations: readonly Expectation[]): CheckResult[] {
  return results.map((r) => {
    const e = expectations.find((x) => matches(x, r));
    if (!e || r.status === 'skip') return r;
    const expected = e.expected as string[];
    if (r.status === 'pass') return expected.includes('pass') ? r : { ...r, status: 'xpass', expectation: e.link };
    if (!expected.includes(r.status)) return r;
    return { ...r, status: 'xfail', expectation: e.link, message: `${r.message} [expected: ${e.note ?? e.link}]` };
  });
}
