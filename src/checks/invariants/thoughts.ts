import { answerOf, finding } from '../answer.js';
import { invariant, isChatAnswer } from '../types.js';

type Json = Record<string, unknown>;

/** Whether the request asked for thought summaries (Google's extra_body.google.thinking_config.include_thoughts). */
export function asksForThoughts(params: Record<string, unknown>): boolean {
  const google = ((params.extra_body as Json | undefined)?.google ?? {}) as Json;
  return (google.thinking_config as Json | undefined)?.include_thoughts === true;
}

const THOUGHT = /<\/?thought>/;

export const thoughtsRequested = invariant(
  'semantic.thoughts-requested',
  'Thought text (Gemini sends it inside content between <thought> tags) appears only when the request asked for thoughts.',
  (ctx) => isChatAnswer(ctx) && !asksForThoughts(ctx.exchange.params),
  ({ exchange }) => {
    const choices = (answerOf(exchange)?.choices ?? []) as Json[];
    return choices.flatMap((choice, i) => {
      const content = (choice?.message as Json | undefined)?.content;
      return typeof content === 'string' && THOUGHT.test(content)
        ? [finding(`/choices/${i}/message/content`, 'the answer only (no thoughts were requested)', content, 'must', 'thought text inside content is shown to the user as the answer')]
        : [];
    });
  },
);
