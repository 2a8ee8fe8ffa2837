import type { Finding } from '../../core/types.js';
import { finding, firstMessage, noAnswer, valueOf } from '../answer.js';
import { semanticCheck } from '../types.js';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const names = (words: string[]) => words.map((w) => JSON.stringify(w)).join(words.length > 1 ? ' and ' : '');

/** A behaviour check: the model saw what the media shows (the red square is red; two images, both colours). */
export const answerMentions = semanticCheck(
  'semantic.answer-mentions',
  'The answer text names what the media shows, as whole words in any case: one of `params.any`, and every one of `params.all` (the red square is "red"; a red and a blue image, both).',
  ({ exchange, params }) => {
    const message = firstMessage(valueOf(exchange) as Record<string, unknown> | undefined);
    if (!message) return noAnswer();
    const text = typeof message.content === 'string' ? message.content : '';
    const says = (w: string) => new RegExp(`\\b${escape(w)}\\b`, 'i').test(text);
    const any = ((params.any as string[] | undefined) ?? []).map(String);
    const all = ((params.all as string[] | undefined) ?? []).map(String);
    const findings: Finding[] = [];
    if (any.length && !any.some(says)) findings.push(finding('/choices/0/message/content', `text naming ${any.map((w) => JSON.stringify(w)).join(' or ')}`, text, 'must', 'the answer does not say what the media shows'));
    const missing = all.filter((w) => !says(w));
    if (missing.length) findings.push(finding('/choices/0/message/content', `text naming ${names(all)}`, text, 'must', `nothing about ${names(missing)}: was every part seen?`));
    return findings;
  },
  { calls: ['chat.completions.create', 'chat.completions.parse'] },
);
