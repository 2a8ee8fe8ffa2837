import { AUTO_CHECK_IDS, CHECK_ID_LIST, CHECK_IDS, CHECK_VOCABULARY } from './ids.js';
import type { CheckDef } from './types.js';
import { wireContentType, wireJsonBody, wireSseDone, wireSseFraming, wireStatus } from './wire.js';
import { schemaChunks, schemaError, schemaResponse } from './schema.js';
import { sdkError, sdkParseHelper, sdkResult, sdkStreamReassembly } from './sdk.js';
import { assistantContent, finishReason, reasoningBudget, refusal, streamAgrees, thoughtSignature, thoughtSummary, usage } from './semantic/chat.js';
import { jsonOutput, toolCall } from './semantic/tools.js';
import { batchResults, batchStatus, listContains, modelList } from './semantic/resources.js';
import { embeddingsAgree, embeddingsShape } from './invariants/embeddings.js';
import { imageData } from './invariants/images.js';
import { modelId } from './invariants/models.js';
import { batchCounts } from './invariants/batch.js';
import { answerMentions } from './semantic/media.js';
import { choiceCount, stopSequence, tokenLimitHonoured, toolChoiceHonoured } from './invariants/request-honoured.js';
import { streamChoices, streamConstancy } from './invariants/stream.js';
import { streamUsage } from './invariants/stream-usage.js';
import { thoughtsRequested } from './invariants/thoughts.js';
import { toolCallDeltas, toolCallShape } from './invariants/tool-calls.js';
import { usageArithmetic } from './invariants/usage.js';

/** Every check, in the order results are reported: wire, schema, sdk, then the semantic invariants (automatic) and the named semantic checks. */
export const CHECKS: readonly CheckDef[] = [
  wireStatus,
  wireContentType,
  wireJsonBody,
  wireSseFraming,
  wireSseDone,
  schemaResponse,
  schemaChunks,
  schemaError,
  sdkResult,
  sdkParseHelper,
  sdkError,
  sdkStreamReassembly,
  assistantContent,
  finishReason,
  usage,
  streamAgrees,
  usageArithmetic,
  streamConstancy,
  streamChoices,
  streamUsage,
  toolCallShape,
  toolCallDeltas,
  toolChoiceHonoured,
  choiceCount,
  tokenLimitHonoured,
  stopSequence,
  thoughtsRequested,
  jsonOutput,
  reasoningBudget,
  thoughtSummary,
  toolCall,
  refusal,
  thoughtSignature,
  embeddingsShape,
  imageData,
  modelId,
  modelList,
  batchStatus,
  batchResults,
  embeddingsAgree,
  batchCounts,
  listContains,
  answerMentions,
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

export { CHECK_IDS, CHECK_VOCABULARY };

const autoIds = CHECKS.filter((c) => c.auto).map((c) => c.id);
if (CHECKS.map((c) => c.id).join() !== CHECK_ID_LIST.join() || autoIds.join() !== [...AUTO_CHECK_IDS].join()) {
  throw new Error(
    `src/checks/ids.ts is out of step with CHECKS: list every check id there, in the order of CHECKS (${CHECKS.map((c) => c.id).join(', ')}), and the automatic ones in AUTO_CHECK_IDS (${autoIds.join(', ')}).`,
  );
}

export function getCheck(id: string): CheckDef {
  const check = byId.get(id);
  if (!check) throw new Error(`unknown check "${id}"`);
  return check;
}
