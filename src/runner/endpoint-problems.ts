import type { CheckResult, WireResponse } from '../core/types.js';

/**
 * Answers that say the run is pointed at the wrong place rather than at a feature the endpoint
 * lacks: a 404 that is no OpenAI answer at all (a wrong base URL, a gateway's own path), and a
 * 404 for the model (a mistyped model name). Both are configuration errors (exit 2), not verdicts.
 */

/** Stable starts of the result messages the CLI recognises after a run. */
export const NOT_OPENAI_404 = 'HTTP 404, no such route here';
export const MODEL_404 = 'HTTP 404 for the model';
/** How run-case's message of a model 404 adds its fix. */
export const CONFIG_HINT = ' (a configuration error: fix ';

/** The error message of an error body: OpenAI's `{error: {message}}`, Gemini's array of one, vLLM's top-level `message`. */
function errorBodyText(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const value = (Array.isArray(parsed) ? parsed[0] : parsed) as { error?: unknown; message?: unknown } | undefined;
  if (value && typeof value === 'object') {
    const error = value.error as { message?: unknown } | string | undefined;
    if (typeof error === 'object' && error && typeof error.message === 'string') return error.message;
    if (typeof error === 'string') return error;
    if (typeof value.message === 'string') return value.message;
  }
  return undefined;
}

/** A body in a few words: an HTML page by its title, other text cut to 200 characters on one line. */
function shortBody(response: Pick<WireResponse, 'headers' | 'body'>): string {
  const { body } = response;
  if (!body) return '(empty body)';
  const type = response.headers['content-type'] ?? '';
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(body)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${title.slice(0, 80)}"` : ''} (${body.length} bytes)`;
  }
  // Only the start is looked at: the body may be megabytes.
  const line = body.slice(0, 4096).replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** The message of an error answer: its error text when it has one, else the body in a few words. */
export function errorSummary(response: Pick<WireResponse, 'headers' | 'body'>): string {
  return errorBodyText(response.body) ?? shortBody(response);
}

/** How servers word a 404 for a path they do not serve (OpenAI: "Invalid URL (POST /v1/x)"; llama.cpp: "File Not Found"). */
const NO_ROUTE = /invalid url|unknown (url|route|path|endpoint)|no route|route .*not found|^\s*(404:?\s*)?(page |file )?not found\.?\s*$|cannot (get|post) \//i;

/**
 * What a 404 says about the configuration, if anything: `not-openai` when the path is not
 * served (a body that is no OpenAI error, or one that says the URL is unknown), `model` when the
 * model does not exist.
 */
export function classify404(response: WireResponse): 'not-openai' | 'model' | undefined {
  if (response.status !== 404) return undefined;
  const text = errorBodyText(response.body);
  if (text === undefined || NO_ROUTE.test(text)) return 'not-openai';
  return /model/i.test(text) && /not (be )?found|does not exist|doesn't exist|unknown|no such|not available|invalid/i.test(text) ? 'model' : undefined;
}

/**
 * After a run: the configuration problem its results show, as a message with the fix, or
 * undefined. A model that does not exist always is one; a non-OpenAI 404 is one when nothing
 * at all answered OpenAI-shaped (no wire.status passed).
 */
export function configProblem(results: readonly CheckResult[], where: { baseUrl: string; file: string }): string | undefined {
  const model = results.find((r) => r.message.startsWith(MODEL_404));
  if (model) {
    // Without run-case's own hint (the fix is given here); the endpoint's words may hold "(a " too.
    const hint = model.message.lastIndexOf(CONFIG_HINT);
    return `${hint < 0 ? model.message : model.message.slice(0, hint)} (case ${model.case}). Fix the model names in ${where.file} or pass --models ROLE=NAME.`;
  }
  const status = results.filter((r) => r.check === 'wire.status');
  const notOpenAi = status.filter((r) => r.message.startsWith(NOT_OPENAI_404));
  if (notOpenAi.length > 0 && !status.some((r) => r.status === 'pass' || r.status === 'warn' || r.status === 'xfail' || r.status === 'xpass')) {
    return notOpenAiHint(where.baseUrl, notOpenAi[0]!.message.slice(NOT_OPENAI_404.length + 2));
  }
  return undefined;
}

export function notOpenAiHint(baseUrl: string, seen: string): string {
  return `${baseUrl} answers nothing OpenAI-shaped (every request got a 404 for an unknown path: ${seen}). Check the base URL (--base-url, or base_url in the target file): OpenAI-compatible APIs are usually served under /v1, e.g. http://127.0.0.1:8080/v1.`;
}
