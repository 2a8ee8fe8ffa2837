import type { FaultPipeline } from './faults/pipeline.js';
import type { BatchRecord, StoredFile } from './stages.js';

/** Per-server state handed to every handler. Stores are in memory and die with the server. */
export interface ServerContext {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  faults: FaultPipeline;
  files: Map<string, StoredFile>;
  images: Map<string, Buffer>;
  batches: Map<string, BatchRecord>;
  /** Sequence number for the ids of created resources: unique within a server, the same on every run. */
  nextSeq(): string;
}
