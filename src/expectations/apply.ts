import { ConfigError } from '../core/errors.js';
import { assertMatchesSchema, readYamlFile } from '../core/yaml-file.js';
import type { CheckResult } from '../core/types.js';
import type { Expectation, Expectations } from '../types/generated/expectations.js';

/**
 * Reads and validates an expectations file. Case and check ids must exist, so a typo cannot
 * silently expect nothing.
 */
export function loadExpectations(
  file: string,
  shownAs: string,
  known: { targetId: string; caseIds: ReadonlySet<string>; checkIds: ReadonlySet<string>; stepIds?: ReadonlyMap<string, readonly string[]> },
): Expectation[] {
  const data = readYamlFile(file, shownAs);
  assertMatchesSchema(data, 'expectations.schema.json', shownAs);
  const parsed = data as Expectations;
  if (parsed.target !== known.targetId) {
    throw new ConfigError(`Failed to load ${shownAs}: it is for target "${parsed.target}", but the run is against "${known.targetId}". Pass the file of this target.`);
  }
  const firstOf = new Map<string, number>();
  parsed.expectations.forEach((e, i) => {
    if (!known.caseIds.has(e.case)) throw new ConfigError(`Failed to load ${shownAs}: field /expectations/${i}/case names unknown case "${e.case}". Use a case id from fixtures/.`);
    if (e.check && !known.checkIds.has(e.check)) throw new ConfigError(`Failed to load ${shownAs}: field /expectations/${i}/check names unknown check "${e.check}".`);
    const steps = known.stepIds?.get(e.case);
    if (e.step !== undefined && steps && !steps.includes(e.step)) {
      throw new ConfigError(`Failed to load ${shownAs}: field /expectations/${i}/step names unknown step "${e.step}" of case ${e.case}; its steps: ${steps.join(', ')}.`);
    }
    // Two entries for the same results: the first would win silently, so the second is a mistake.
    const key = JSON.stringify([e.case, e.step, e.check, e.transport, e.models]);
    const twin = firstOf.get(key);
    if (twin === undefined) firstOf.set(key, i);
    else throw new ConfigError(`Failed to load ${shownAs}: /expectations/${i} matches the same results as /expectations/${twin} (case ${e.case}). Merge them into one entry.`);
  });
  return parsed.expectations;
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
 * A result that an expectation covers: a known failure (`fail`, `warn`, `error`) becomes `xfail`,
 * a known `unsupported` keeps its status and gets the link; a
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
    const message = `${r.message} [expected: ${e.note ?? e.link}]`;
    // Declining a feature is not failing it: a known `unsupported` stays unsupported in the matrix.
    if (r.status === 'unsupported') return { ...r, expectation: e.link, message };
    return { ...r, status: 'xfail', expectation: e.link, message };
  });
}
