import { invalid } from '../errors.js';
import { REFERENCE_MODELS } from '../models.js';
import { isObject } from '../params.js';
import type { Obj, Thinking } from '../stages.js';

/** Gemini 2.5 thinking budgets per `reasoning_effort` (Gemini OpenAI-compatibility docs). */
const EFFORT_BUDGET: Record<string, number> = { none: 0, minimal: 1024, low: 1024, medium: 8192, high: 24576 };
/** Gemini 3 `thinking_level` values, mapped onto the same budgets. */
const LEVEL_BUDGET: Record<string, number> = { minimal: 1024, low: 1024, medium: 8192, high: 24576 };
/** Budget used when a thinking model gets no setting (Gemini's "dynamic thinking"). */
const DEFAULT_BUDGET = 8192;

/**
 * The thinking budget of a request: `reasoning_effort`, or Gemini's
 * `extra_body.google.thinking_config` (the two must not be combined), or the model's default.
 */
export function readThinking(body: Obj, model: string): Thinking {
  const google = isObject(body.extra_body) && isObject(body.extra_body.google) ? body.extra_body.google : {};
  const config = isObject(google.thinking_config) ? google.thinking_config : {};
  const effort = body.reasoning_effort;
  const hasGoogleBudget = config.thinking_budget !== undefined || config.thinking_level !== undefined;
  const includeThoughts = config.include_thoughts === true;

  if (effort !== undefined && effort !== null) {
    if (typeof effort !== 'string' || !(effort in EFFORT_BUDGET)) {
      throw invalid(`Invalid value for 'reasoning_effort': expected one of ${Object.keys(EFFORT_BUDGET).join(', ')}.`, 'reasoning_effort', 'invalid_value');
    }
    if (hasGoogleBudget) {
      throw invalid('reasoning_effort and thinking_budget/thinking_level cannot be used together.', 'reasoning_effort', 'invalid_value');
    }
    return { budget: EFFORT_BUDGET[effort], includeThoughts };
  }
  const param = 'extra_body.google.thinking_config';
  const level = config.thinking_level ?? (typeof config.thinking_budget === 'string' ? config.thinking_budget : undefined);
  if (level !== undefined) {
    if (typeof level !== 'string' || !(level in LEVEL_BUDGET)) throw invalid(`Invalid thinking level: ${JSON.stringify(level)}.`, param, 'invalid_value');
    return { budget: LEVEL_BUDGET[level], includeThoughts };
  }
  const budget = config.thinking_budget;
  if (budget !== undefined) {
    if (!Number.isInteger(budget) || (budget as number) < -1) throw invalid('thinking_budget must be an integer >= -1.', param, 'invalid_value');
    return { budget: budget === -1 ? DEFAULT_BUDGET : (budget as number), includeThoughts };
  }
  return { budget: model === REFERENCE_MODELS.reasoning ? DEFAULT_BUDGET : 0, includeThoughts };
}

/** Reasoning tokens the reference model "spends": a sixty-fourth of the budget. */
export function reasoningTokens(budget: number): number {
  return budget > 0 ? Math.max(1, Math.floor(budget / 64)) : 0;
}
