import { invalid, modelNotFound } from './errors.js';
import { CREATED } from './ids.js';

/** The models the reference server serves, by role. */
export const REFERENCE_MODELS = {
  chat: 'ref-chat',
  reasoning: 'ref-reasoning-2.5',
  reasoningPro: 'ref-reasoning-2.5-pro',
  reasoningLevels: 'ref-reasoning-3',
  embedding: 'ref-embedding',
  image: 'ref-image',
} as const;

type Capability = 'chat' | 'embedding' | 'image';

const CAPABILITY: Record<string, Capability> = {
  [REFERENCE_MODELS.chat]: 'chat',
  [REFERENCE_MODELS.reasoning]: 'chat',
  [REFERENCE_MODELS.reasoningPro]: 'chat',
  [REFERENCE_MODELS.reasoningLevels]: 'chat',
  [REFERENCE_MODELS.embedding]: 'embedding',
  [REFERENCE_MODELS.image]: 'image',
};

export const MODEL_IDS = Object.keys(CAPABILITY);

export function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'oai-compat' };
}

/** The request's `model`, checked to exist and to serve `capability`. */
export function requireModel(model: unknown, capability: Capability): string {
  if (typeof model !== 'string' || !model) throw invalid('you must provide a model parameter', 'model');
  const has = CAPABILITY[model];
  if (!has) throw modelNotFound(model);
  if (has !== capability) throw invalid(`The model \`${model}\` is not a ${capability} model.`, 'model');
  return model;
}
