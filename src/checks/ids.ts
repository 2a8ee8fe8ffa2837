/**
 * The id of every check, in report order, and whether it runs automatically (`auto`) or where a
 * fixture names it (`named`), without loading the checks themselves: the CLI validates fixtures
 * and expectations against these and so never loads the SDK for them. checks/index.ts refuses to
 * load when CHECKS and this table differ.
 */
const CHECK_TABLE = [
  ['wire.status', 'auto'],
  ['wire.content-type', 'auto'],
  ['wire.json-body', 'auto'],
  ['wire.sse-framing', 'auto'],
  ['wire.sse-done', 'auto'],
  ['schema.response', 'auto'],
  ['schema.chunks', 'auto'],
  ['schema.error', 'auto'],
  ['sdk.result', 'auto'],
  ['sdk.parse-helper', 'auto'],
  ['sdk.error', 'auto'],
  ['sdk.stream-reassembly', 'auto'],
  ['semantic.assistant-content', 'named'],
  ['semantic.finish-reason', 'named'],
  ['semantic.usage', 'named'],
  ['semantic.stream-agrees', 'auto'],
  ['semantic.usage-arithmetic', 'auto'],
  ['semantic.stream-constancy', 'auto'],
  ['semantic.stream-choices', 'auto'],
  ['semantic.stream-usage', 'auto'],
  ['semantic.tool-call-shape', 'auto'],
  ['semantic.tool-call-deltas', 'auto'],
  ['semantic.tool-choice-honoured', 'auto'],
  ['semantic.choice-count', 'auto'],
  ['semantic.token-limit', 'auto'],
  ['semantic.stop-sequence', 'auto'],
  ['semantic.thoughts-requested', 'auto'],
  ['semantic.json-output', 'auto'],
  ['semantic.reasoning-budget', 'named'],
  ['semantic.thought-summary', 'named'],
  ['semantic.tool-call', 'named'],
  ['semantic.refusal', 'named'],
  ['semantic.thought-signature', 'named'],
  ['semantic.embeddings', 'auto'],
  ['semantic.image-data', 'auto'],
  ['semantic.model-id', 'auto'],
  ['semantic.model-list', 'named'],
  ['semantic.batch-status', 'named'],
  ['semantic.batch-results', 'named'],
  ['semantic.embeddings-agree', 'named'],
  ['semantic.batch-counts', 'auto'],
  ['semantic.list-contains', 'named'],
  ['semantic.answer-mentions', 'named'],
] as const satisfies readonly (readonly [string, 'auto' | 'named'])[];

export const CHECK_ID_LIST: readonly string[] = CHECK_TABLE.map(([id]) => id);

export const CHECK_IDS: ReadonlySet<string> = new Set(CHECK_ID_LIST);

/** The automatic checks (wire, schema, sdk and the invariants): the only ones a step may waive. */
export const AUTO_CHECK_IDS: ReadonlySet<string> = new Set(CHECK_TABLE.filter(([, runs]) => runs === 'auto').map(([id]) => id));

/** What fixture loading needs to know of the checks: their ids, and which run automatically. */
export const CHECK_VOCABULARY = { checkIds: CHECK_IDS, autoCheckIds: AUTO_CHECK_IDS };
