import { invalid } from '../errors.js';
import { REFERENCE_MODELS } from '../models.js';
import { isObject } from '../params.js';
import type { Obj, Thinking } from '../stages.js';

/**
 * How the reference models think, after the families of Gemini's OpenAI-compatibility page:
 * 2.5 Flash takes budgets and can stop thinking (`none`), 2.5 Pro takes budgets but always thinks,
 * Gemini 3 takes thinking levels (low, high) and always thinks. Other models do not think unless told.
 */
interface Family {
  /** reasoning_effort → thinking budget (the page's mapping table). */
  effort: Record<string, number>;
  /** Whether reasoning_effort none / a zero budget is accepted. */
  canStop: boolean;
  /** Budget when the request sets nothing (Gemini's dynamic thinking). */
  default: number;
}

const BUDGETS = { minimal: 1024, low: 1024, medium: 8192, high: 24576 };
/** Gemini 3: minimal and low map to level low, medium and high to level high. */
const LEVELS = { minimal: 1024, low: 1024, medium: 24576, high: 24576 };

const FAMILIES: Record<string, Family> = {
  [REFERENCE_MODELS.reasoning]: { effort: BUDGETS, canStop: true, default: 8192 },
  [REFERENCE_MODELS.reasoningPro]: { effort: BUDGETS, canStop: false, default: 8192 },
  [REFERENCE_MODELS.reasoningLevels]: { effort: LEVELS, canStop: false, default: 24576 },
};
const NON_THINKING: Family = { effort: BUDGETS, canStop: true, default: 0 };

/** Google's thinking_level values, on the same budgets. */
const LEVEL_BUDGET: Record<string, number> = { minimal: 1024, low: 1024, medium: 8192, high: 24576 };

/**
 * The thinking budget of a request: `reasoning_effort`, or Gemini's
 * `extra_body.google.thinking_config` (the two must not be combined), or the model's default.
 */
export function readThinking(body: Obj, model: string): Thinking {
  const family = FAMILIES[model] ?? NON_THINKING;
  const google = isObject(body.extra_body) && isObject(body.extra_body.google) ? body.extra_body.google : {};
  const config = isObject(google.thinking_config) ? google.thinking_config : {};
  const effort = body.reasoning_effort;
  const hasGoogleBudget = config.thinking_budget !== undefined || config.thinking_level !== undefined;
  const includeThoughts = config.include_thoughts === true;
  const cannotStop = () => invalid(`Thinking cannot be turned off for the model ${model}.`, 'reasoning_effort', 'invalid_value');

  if (effort !== undefined && effort !== null) {
    const efforts = ['none', ...Object.keys(family.effort)];
    if (typeof effort !== 'string' || !efforts.includes(effort)) {
      throw invalid(`Invalid value for 'reasoning_effort': expected one of ${efforts.join(', ')}.`, 'reasoning_effort', 'invalid_value');
    }
    if (hasGoogleBudget) {
      throw invalid('reasoning_effort and thinking_budget/thinking_level cannot be used together.', 'reasoning_effort', 'invalid_value');
    }
    if (effort === 'none' && !family.canStop) throw cannotStop();
    return { budget: effort === 'none' ? 0 : family.effort[effort as keyof typeof BUDGETS], includeThoughts };
  }
  const param = 'extra_body.google.thinking_config';
  const level = config.thinking_level ?? (typeof config.thinking_budget === 'string' ? config.thinking_budget : undefined);
  if (level !== undefined) {
    if (typeof level !== 'string' || !(level in LEVEL_BUDGET)) throw invalid(`Invalid thinking level: ${JSON.stringify(level)}.`, param, 'invalid_value');
    return { budget: LEVEL_BUDGET[level]!, includeThoughts };
  }
  const budget = config.thinking_budget;
  if (budget !== undefined) {
    if (!Number.isInteger(budget) || (budget as number) < -1) throw invalid('thinking_budget must be an integer >= -1.', param, 'invalid_value');
    if (budget === 0 && !family.canStop) throw cannotStop();
    return { budget: budget === -1 ? family.default || 8192 : (budget as number), includeThoughts };
  }
  return { budget: family.default, includeThoughts };
}

/** Reasoning tokens the reference model "spends": a sixty-fourth of the budget. */
export function reasoningTokens(budget: number): number {
  return budget > 0 ? Math.max(1, Math.floor(budget / 64)) : 0;
}

/** Whether the model signs its tool calls and wants the signatures back (Gemini 3). */
export const signsToolCalls = (model: string) => model === REFERENCE_MODELS.reasoningLevels;
