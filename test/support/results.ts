import type { CheckResult } from '../../src/core/types.js';

const BASE: CheckResult = {
  target: 't',
  model: 'm',
  feature: 'chat',
  case: 'chat-a',
  step: 'ask',
  check: 'schema.chat-completion',
  level: 'schema',
  severity: 'must',
  transport: 'blocking',
  status: 'pass',
  message: 'ok',
  durationMs: 1,
};

/** A maker of results for report tests: `defaults` over a passing one, then each call's own fields. */
export function resultMaker(defaults: Partial<CheckResult> = {}): (over: Partial<CheckResult>) => CheckResult {
  return (over) => ({ ...BASE, ...defaults, ...over });
}
