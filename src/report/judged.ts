import type { CheckResult, CheckStatus, FeatureId } from '../core/types.js';

/** Statuses that are a verdict on the endpoint. `unsupported`, `skip` and `error` are not. */
export const JUDGED: readonly CheckStatus[] = ['pass', 'warn', 'fail', 'xfail', 'xpass'];

/** How runCase words an unsupported that the target documents (claims: supported: false). */
export const DOCUMENTED_UNSUPPORTED = 'documented as unsupported';

/** Features with at least one verdict, in report order. */
export function judgedFeatures(results: readonly CheckResult[]): FeatureId[] {
  return [...new Set(results.filter((r) => JUDGED.includes(r.status)).map((r) => r.feature))];
}

/** `unsupported` results the target did not document: the endpoint declined, and the report must say why. */
export function undocumentedUnsupported(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === 'unsupported' && !r.message.startsWith(DOCUMENTED_UNSUPPORTED) && r.check !== 'case');
}
