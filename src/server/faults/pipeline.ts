import type { ApiRequest, BatchStatus, ChatAnswer, ChatRequest, OutputLine, Reply } from '../stages.js';

/**
 * A named deviation the reference server can inject. Each fault is one small transformation at
 * one of the stages a request passes (stages.ts): the parsed request, the chat answer, the batch
 * state machine, the batch output lines, or the reply before it is serialised.
 */
export interface Fault {
  description: string;
  request?: (req: ApiRequest) => ApiRequest;
  chat?: (answer: ChatAnswer, req: ChatRequest) => ChatAnswer;
  batchStatus?: (next: BatchStatus) => BatchStatus;
  batchOutput?: (lines: OutputLine[]) => OutputLine[];
  /** `op` names the operation that answered, e.g. `chat.completions` (see the routes). */
  reply?: (reply: Reply, op: string) => Reply;
}

/** The active faults of one server, applied in FAULTS order at each stage. */
export class FaultPipeline {
  private readonly active: Fault[];

  constructor(
    readonly names: string[],
    faults: Record<string, Fault>,
  ) {
    this.active = names.map((n) => faults[n]!);
  }
  request(req: ApiRequest): ApiRequest {
    return this.active.reduce((r, f) => f.request?.(r) ?? r, req);
  }
  chat(answer: ChatAnswer, req: ChatRequest): ChatAnswer {
    return this.active.reduce((a, f) => f.chat?.(a, req) ?? a, answer);
  }
  batchStatus(next: BatchStatus): BatchStatus {
    return this.active.reduce((s, f) => f.batchStatus?.(s) ?? s, next);
  }
  batchOutput(lines: OutputLine[]): OutputLine[] {
    return this.active.reduce((l, f) => f.batchOutput?.(l) ?? l, lines);
  }
  reply(reply: Reply, op: string): Reply {
    return this.active.reduce((r, f) => f.reply?.(r, op) ?? r, reply);
  }
}
