import { finding, firstMessage, noAnswer, valueOf } from '../answer.js';
import { semanticCheck } from '../types.js';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A behaviour check: the model saw what the media shows (the red square is red). */
export const answerMentions = semanticCheck(
  'semantic.answer-mentions',
  'The answer text names what the media shows: one of `params.any` as a whole word, in any case (the red square is "red").',
  ({ exchange, params }) => {
    const message = firstMessage(valueOf(exchange) as Record<string, unknown> | undefined);
    if (!message) return noAnswer();
    const words = ((params.any as string[] | undefined) ?? []).map(String);
    const text = typeof message.content === 'string' ? message.content : '';
    if (words.some((w) => new RegExp(`\\b${escape(w)}\\b`, 'i').test(text))) return [];
    return [finding('/choices/0/message/content', `text naming ${words.map((w) => JSON.stringify(w)).join(' or ')}`, text, 'must', 'the answer does not say what the media shows')];
  },
);
