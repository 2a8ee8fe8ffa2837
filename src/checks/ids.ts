/**
 * The id of every check, in report order, without loading the checks themselves: the CLI
 * validates fixtures and expectations against these ids and so never loads the SDK for them.
 * checks/index.ts refuses to load when CHECKS and this list differ.
 */
export const CHECK_ID_LIST = [
  'wire.status',
  'wire.content-type',
  'wire.json-body',
  'wire.sse-framing',
  'wire.sse-done',
  'schema.response',
  'schema.chunks',
  'schema.error',
  'sdk.result',
  'sdk.parse-helper',
  'sdk.error',
  'sdk.stream-reassembly',
  'semantic.assistant-content',
  'semantic.finish-reason',
  'semantic.usage',
  'semantic.stream-agrees',
  'semantic.reasoning-budget',
  'semantic.thought-summary',
  'semantic.tool-call',
  'semantic.json-output',
  'semantic.embeddings',
  'semantic.image-data',
  'semantic.model-id',
  'semantic.model-list',
  'semantic.batch-status',
  'semantic.batch-results',
] as const;

export const CHECK_IDS: ReadonlySet<string> = new Set(CHECK_ID_LIST);
