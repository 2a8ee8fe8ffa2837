// Shapes Gemini's OpenAI-compatible endpoint sends (shared/notes/gemini-observed-shapes.md),
// for the faults that imitate it.
import { isObject } from './params.js';
import type { Obj } from './stages.js';

/** A chunk with each choice replaced by `f(choice)`; choices mapped to null are dropped. */
export const mapChoices = (c: Obj, f: (choice: Obj) => Obj | null): Obj => ({
  ...c,
  choices: (c.choices as Obj[]).map(f).filter((x): x is Obj => x !== null),
});

/** Streamed tool calls (§4): each call whole in the first delta that mentions it, no `index`. */
export function wholeToolCalls(chunks: Obj[]): Obj[] {
  const calls = new Map<unknown, Map<unknown, Obj & { function: Obj }>>();
  for (const chunk of chunks) {
    for (const choice of chunk.choices as Obj[]) {
      for (const part of ((choice.delta as Obj)?.tool_calls ?? []) as Obj[]) {
        const byIndex = calls.get(choice.index) ?? new Map();
        calls.set(choice.index, byIndex);
        const { index: _, ...call } = part as Obj & { function: Obj };
        const seen = byIndex.get(part.index);
        if (seen) seen.function = { ...seen.function, arguments: `${seen.function.arguments}${call.function?.arguments ?? ''}` };
        else byIndex.set(part.index, call);
      }
    }
  }
  return chunks.flatMap((chunk) => {
    const out = mapChoices(chunk, (choice) => {
      const delta = choice.delta as Obj;
      if (!delta?.tool_calls) return choice;
      const whole = calls.get(choice.index);
      calls.delete(choice.index);
      return whole ? { ...choice, delta: { ...delta, tool_calls: [...whole.values()] } } : null;
    });
    return (out.choices as Obj[]).length || !(chunk.choices as Obj[]).length ? [out] : [];
  });
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
};

/** `[{"error":{"code":<status>,"message","status":"INVALID_ARGUMENT"|...}}]` (§12). */
export function geminiErrorBody(status: number, message: string): unknown {
  return [{ error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' } }];
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A batch output body the way Gemini writes it (gemini-observed-shapes.md §9). */
export function geminiBatchBody(body: unknown): unknown {
  if (!isObject(body)) return body;
  const { choices, usage, created, ...rest } = body;
  return {
    ...rest,
    ...(created === undefined ? {} : { created: String(created) }),
    ...(isObject(usage) ? { usage: Object.fromEntries(Object.entries(usage).map(([k, v]) => [camel(k), v])) } : {}),
    ...(Array.isArray(choices)
      ? { choices: (choices as Obj[]).map(({ index: _, finish_reason, ...choice }) => ({ ...choice, finishReason: finish_reason })) }
      : {}),
  };
}
