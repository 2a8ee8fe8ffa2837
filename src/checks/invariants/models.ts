import type { Finding } from '../../core/types.js';
import { finding, noAnswer, valueOf } from '../answer.js';
import { invariant } from '../types.js';

/** Exact id: fine. Same id behind Google's `models/` resource prefix: tolerated by most apps, reported for what it is. */
export function compareModelId(expected: string, received: unknown, path: string): Finding[] {
  if (received === expected) return [];
  if (received === `models/${expected}`) return [finding(path, JSON.stringify(expected), received, 'should', 'the id carries Google\'s "models/" resource prefix; apps that compare ids or send them back may break')];
  return [finding(path, JSON.stringify(expected), received, 'must')];
}

export const modelId = invariant(
  'semantic.model-id',
  'Retrieving a model returns that model: id equals the requested id.',
  (ctx) => !ctx.expectError && ctx.exchange.operation === 'models.retrieve',
  ({ exchange }) => {
    const value = valueOf(exchange) as Record<string, unknown> | undefined;
    return value ? compareModelId(String(exchange.params.model), value.id, '/id') : noAnswer();
  },
);
