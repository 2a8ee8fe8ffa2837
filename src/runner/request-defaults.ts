import type { Operation } from '../fixtures/load.js';
import type { RequestDefaults } from '../targets/load.js';

/** Which kind of target defaults a call takes. */
const KIND: Partial<Record<Operation, keyof RequestDefaults>> = {
  'chat.completions.create': 'chat',
  'chat.completions.parse': 'chat',
  'embeddings.create': 'embeddings',
  'images.generate': 'images',
};

/** Parameters that set one thing under two names: a case that sets either gets neither default. */
const SAME_SETTING = [['max_tokens', 'max_completion_tokens']];

/** The request with the target's defaults under it: what the case sets always wins. */
export function withRequestDefaults(params: Record<string, unknown>, call: Operation, defaults: RequestDefaults): Record<string, unknown> {
  const kind = KIND[call];
  const own = kind ? defaults[kind] : undefined;
  if (!own) return params;
  const taken = new Set(Object.keys(params));
  for (const group of SAME_SETTING) if (group.some((k) => taken.has(k))) group.forEach((k) => taken.add(k));
  const under = Object.fromEntries(Object.entries(own).filter(([k]) => !taken.has(k)));
  return { ...under, ...params };
}
