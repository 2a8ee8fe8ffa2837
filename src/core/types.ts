/**
 * Vocabulary shared by every part of oai-compat: severities, statuses, findings and
 * the exchange a check looks at. DESIGN.md defines the meaning of each status.
 */

/** The 13 feature ids of DESIGN.md; fixtures/features.yaml cites the doc section of each. */
export const FEATURE_IDS = [
  'models',
  'chat',
  'thinking',
  'streaming',
  'tools',
  'vision',
  'audio',
  'structured-output',
  'embeddings',
  'batch',
  'images',
  'extra-body',
  'errors',
] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

/** `must`: a client breaks (SDK, common stream parser, an app trusting the field). `should`: the spec says so, clients tolerate it. */
export type Severity = 'must' | 'should';

export type CheckLevel = 'wire' | 'schema' | 'sdk' | 'semantic';

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'unsupported', 'error', 'skip', 'xfail', 'xpass'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CELL_STATUSES = ['pass', 'partial', 'fail', 'unsupported', 'error', 'untested'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** How a chat case is run: one JSON answer, or an SSE stream. */
export type Transport = 'blocking' | 'streaming';

/** How requests reach the endpoint (src/transport). */
export type Mode = 'live' | 'record' | 'replay';

/**
 * One deviation found by a check. Readable on its own: which field, what came, what was expected.
 * `path` is a JSON pointer into the object checked (e.g. `/choices/0/finish_reason`), or a wire
 * location such as `header:content-type` or `sse:event 3`.
 */
export interface Finding {
  path: string;
  expected: string;
  received: string;
  severity: Severity;
  /** Optional extra explanation (a schema keyword, a hint to the fix). */
  note?: string;
}

/** The raw HTTP side of one request, as it went over the wire (credentials redacted). */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text (JSON requests), or a short description for multipart uploads. */
  body?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** The whole body as received, decoded as UTF-8 (an SSE stream is kept byte for byte); at most MAX_KEPT_BYTES of it. */
  body: string;
  /** The real size of a body larger than what is kept (src/transport/capture.ts MAX_KEPT_BYTES); absent otherwise. */
  fullBytes?: number;
}

/** What the official `openai` SDK made of the same response. */
export type SdkOutcome =
  | {
      ok: true;
      /** The parsed object (for a stream: the SDK's own reassembled final completion). */
      value: unknown;
    }
  | {
      ok: false;
      error: { name: string; status?: number; message: string; body?: unknown };
    };

/**
 * One HTTP request of a case step and everything known about its answer. Checks are pure
 * functions of exchanges; they never send requests themselves.
 */
export interface Exchange {
  /** Operation id of the call (e.g. `chat.completions.create`). */
  operation: string;
  stream: boolean;
  /** The request parameters the step sent (after templating), before the SDK serialised them. */
  params: Record<string, unknown>;
  request?: WireRequest;
  /** Absent when the request never got an answer (reset, timeout, replay miss). */
  response?: WireResponse;
  sdk: SdkOutcome;
  /** Transport trouble (no response at all): the reason, already free of secrets. */
  transportError?: string;
  /** Why the request was never sent (the run's --max-requests budget was spent). */
  notSent?: string;
  /** Rate-limit answers (429) retried before this one, with the wait honoured for each. */
  retries?: { status: number; waitMs: number }[];
  durationMs: number;
}

/** Where a result of `validate` or `proxy` came from: a HAR or recording entry (0-based), or a JSONL line (1-based). */
export type ResultSource = { file: string; entry: number } | { file: string; line: number };

/** One row of report.json `results[]` (schemas/report.schema.json). */
export interface CheckResult {
  target: string;
  model: string;
  feature: FeatureId;
  case: string;
  step: string;
  check: string;
  level: CheckLevel;
  severity: Severity;
  transport: Transport;
  status: CheckStatus;
  message: string;
  findings?: Finding[];
  durationMs: number;
  /** Set when an expectations entry matched (xfail / xpass): the bug or doc link. */
  expectation?: string;
  /** Set for captured traffic (`validate`, `proxy`): the file and entry or line judged. */
  source?: ResultSource;
  /** A behaviour check run several times (`run --repeat N`): how many runs judged it, how many passed. */
  repeat?: RepeatCount;
}

/** Runs of a behaviour check under `--repeat`, and how many of them passed. */
export interface RepeatCount {
  runs: number;
  passed: number;
}
