import { CHECK_ID_LIST, CHECK_IDS } from './ids.js';
import type { CheckDef } from './types.js';
import { wireContentType, wireJsonBody, wireSseDone, wireSseFraming, wireStatus } from './wire.js';
import { schemaChunks, schemaError, schemaResponse } from './schema.js';
import { sdkError, sdkParseHelper, sdkResult, sdkStreamReassembly } from './sdk.js';
import { assistantContent, finishReason, reasoningBudget, streamAgrees, thoughtSummary, usage } from './semantic/chat.js';
import { jsonOutput, toolCall } from './semantic/tools.js';
import { embeddings, imageData } from './semantic/outputs.js';
import { batchResults, batchStatus, modelId, modelList } from './semantic/resources.js';

/** Every check, in the order results are reported: wire, schema, sdk, semantic. */
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
  reasoningBudget,
  thoughtSummary,
  toolCall,
  jsonOutput,
  embeddings,
  imageData,
  modelId,
  modelList,
  batchStatus,
  batchResults,
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

export { CHECK_IDS };

if (CHECKS.map((c) => c.id).join() !== CHECK_ID_LIST.join()) {
  throw new Error(`src/checks/ids.ts is out of step with CHECKS: list every check id there, in the order of CHECKS (${CHECKS.map((c) => c.id).join(', ')}).`);
}

export function getCheck(id: string): CheckDef {
  const check = byId.get(id);
  if (!check) throw new Error(`unknown check "${id}"`);
  return check;
}
