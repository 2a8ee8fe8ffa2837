import { batchFaults } from './batch.js';
import { chatFaults } from './chat.js';
import { FaultPipeline, type Fault } from './pipeline.js';
import { replyFaults } from './reply.js';
import { requestFaults } from './request.js';
import { resourceFaults } from './resources.js';
import { streamFaults } from './stream.js';

export type { Fault } from './pipeline.js';
export { FaultPipeline } from './pipeline.js';

/**
 * Every fault, in the order they are applied: one module per stage they transform. Generic
 * reply faults come last, so they see what the specific ones made (omit-nullable drops the nulls
 * of a Gemini-shaped stream too).
 */
export const FAULTS: Record<string, Fault> = { ...requestFaults, ...chatFaults, ...streamFaults, ...resourceFaults, ...batchFaults, ...replyFaults };

export interface Profile {
  description: string;
  faults: string[];
}

export const PROFILES: Record<string, Profile> = {
  openai: { description: 'OpenAI behaviour, no faults', faults: [] },
  gemini: {
    description: "Gemini's OpenAI-compatible endpoint as recorded (shared/notes/gemini-observed-shapes.md)",
    faults: [
      'omit-nullable',
      'tool-delta-no-index',
      'stream-tool-calls-stop',
      'usage-every-chunk',
      'usage-hidden-reasoning',
      'error-array',
      'models-prefix',
      'batch-output-camelcase',
      'reject-system-only',
      'reject-empty-text',
      'reject-null-refusal',
      'reject-tool-message-without-name',
      'reject-sdk-default-fields',
      'embeddings-batch-limit',
      'bad-key-400',
    ],
  },
};

/** The faults of a profile plus extra ones; throws listing the valid names on an unknown name. */
export function resolveFaults(profile = 'openai', extra: string[] = []): FaultPipeline {
  if (!Object.hasOwn(PROFILES, profile)) {
    throw new Error(`Unknown profile "${profile}". Valid profiles: ${Object.keys(PROFILES).join(', ')}`);
  }
  const unknown = extra.filter((name) => !Object.hasOwn(FAULTS, name));
  if (unknown.length) {
    throw new Error(`Unknown fault ${unknown.map((n) => `"${n}"`).join(', ')}. Valid faults: ${Object.keys(FAULTS).join(', ')}`);
  }
  const wanted = new Set([...PROFILES[profile].faults, ...extra]);
  return new FaultPipeline(Object.keys(FAULTS).filter((name) => wanted.has(name)), FAULTS);
}
