import type { CheckResult } from '../core/types.js';

/**
 * Known deviations of OpenAI-compatible endpoints and the client-side workaround users apply,
 * recognised by the check and the finding they produce (see ../shared/notes/real-world-deviations.md
 * for the evidence behind each). Pure data: the compatibility profile lists every entry whose
 * pattern a target's results show.
 */
export interface Deviation {
  id: string;
  /** What the endpoint does. */
  title: string;
  /** The checks that see it. */
  checks: string[];
  /** A finding path (regular expression) that identifies it; any finding of those checks when absent. */
  path?: string;
  /** A received value (regular expression) that identifies it. */
  received?: string;
  /** What a client does about it. */
  workaround: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'tool-call-delta-no-index',
    title: 'Streamed tool-call deltas carry no `index`',
    checks: ['schema.chunks', 'sdk.stream-reassembly'],
    path: '/delta/tool_calls/\\d+/index$|/message/tool_calls$',
    workaround:
      "Assemble streamed tool calls yourself, keyed by `id` (a delta with a new `id` starts a call, one without continues the last) instead of the SDK's stream helper, which keys on `index`.",
  },
  {
    id: 'error-array-body',
    title: 'Error bodies are a JSON array of errors, not an OpenAI error object',
    checks: ['schema.error', 'sdk.error'],
    received: '^\\[|no body',
    workaround: 'Unwrap the first element when the error body is an array (`Array.isArray(body) ? body[0] : body`), then read `error.message`; the SDK error carries no message, so read its raw body.',
  },
  {
    id: 'model-id-prefix',
    title: 'Model ids come back with a `models/` prefix',
    checks: ['semantic.model-list', 'semantic.model-id'],
    received: '"models/',
    workaround: 'Strip a leading `models/` from model ids before comparing them with the names you send.',
  },
  {
    id: 'usage-every-chunk',
    title: 'Streamed usage is repeated on every chunk',
    checks: ['semantic.usage'],
    path: '^sse:usage$',
    workaround: 'With `stream_options.include_usage`, keep the usage of the last chunk that carries it instead of adding up or taking the first.',
  },
  {
    id: 'nullable-omitted',
    title: 'Nullable fields (refusal, content, finish_reason) are omitted instead of null',
    checks: ['schema.response', 'schema.chunks'],
    path: '^(chunk \\d+:)?/choices/\\d+/((message|delta)/(refusal|content)|finish_reason)$',
    workaround: 'Read nullable fields with a default (`message.refusal ?? null`); treat omitted as null.',
  },
  {
    id: 'created-string',
    title: '`created` is a string, not an integer',
    checks: ['schema.response', 'schema.chunks'],
    path: '^(chunk \\d+:)?/created$',
    received: '^"',
    workaround: 'Parse `created` with `Number(...)` before using it as a timestamp.',
  },
  {
    id: 'batch-output-not-openai',
    title: 'Batch output lines do not hold OpenAI chat completions (fields missing or renamed)',
    checks: ['schema.response', 'semantic.batch-results'],
    path: '^line \\d+:/response/body/',
    workaround: 'Normalise each batch output line (snake_case names, `index`, `finish_reason`, usage) before parsing it as a chat completion.',
  },
];

/** The deviations a result shows (a result that did not pass: fail, warn or xfail). */
export function deviationsOf(result: CheckResult): Deviation[] {
  if (!['fail', 'warn', 'xfail'].includes(result.status)) return [];
  const findings = result.findings ?? [{ path: '', received: result.message }];
  return DEVIATIONS.filter(
    (d) =>
      d.checks.includes(result.check) &&
      findings.some((f) => (d.path === undefined || new RegExp(d.path).test(f.path)) && (d.received === undefined || new RegExp(d.received).test(f.received))),
  );
}
