import { describe, expect, test } from 'vitest';
import { described, finding, reassembleStream, show } from '../src/checks/answer.js';

describe('how findings show what was received', () => {
  test('values are shown as JSON, so a string that looks like a note is still quoted', () => {
    expect(finding('/x', 'y', '(foo', 'must').received).toBe('"(foo"');
    expect(show(401)).toBe('401');
    expect(show(null)).toBe('null');
    expect(show(undefined)).toBe('(missing)');
  });

  test('described text is shown as it is', () => {
    expect(finding('/data', '2 embedding(s)', described('1'), 'must').received).toBe('1');
  });

  test('long values are cut to 80 characters', () => {
    expect(show('x'.repeat(200))).toHaveLength(80);
  });
});

describe('reassembling a stream the way a tolerant client does', () => {
  test('OpenAI-style tool-call fragments are joined by index', () => {
    const answer = reassembleStream([
      { id: 'c1', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] } }] },
      { id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] } }] },
      { id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] }, finish_reason: 'tool_calls' }] },
      { id: 'c1', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
    ]);
    expect(answer.choices).toEqual([
      { index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } },
    ]);
    expect(answer.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  test('index-less whole tool calls (Gemini) stay separate, even with empty ids', () => {
    const call = (name: string) => ({ id: '', type: 'function', function: { name, arguments: '{}' } });
    const answer = reassembleStream([
      { choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [call('a')] } }] },
      { choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [call('b')] }, finish_reason: 'stop' }] },
    ]);
    const calls = (answer.choices as { message: { tool_calls: { function: { name: string } }[] } }[])[0]!.message.tool_calls;
    expect(calls.map((c) => c.function.name)).toEqual(['a', 'b']);
  });

  test('usage repeated on every chunk counts once: the last one', () => {
    const answer = reassembleStream([
      { choices: [{ index: 0, delta: { content: 'Hel' } }], usage: { prompt_tokens: 4, completion_tokens: 0, total_tokens: 4 } },
      { choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ]);
    expect(answer.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect((answer.choices as { message: { content: string } }[])[0]!.message.content).toBe('Hello');
  });
});
