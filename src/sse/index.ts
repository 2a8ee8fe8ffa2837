/** SSE decoding for checking endpoints: bytes → lines → events, with every deviation reported. */
export { createLineDecoder, type LineDecoder } from './lines.js';
export { createSseDecoder, decodeSse } from './events.js';
export type { SseDecoder, SseEvent, SseProblem, SseProblemKind } from './events.js';
