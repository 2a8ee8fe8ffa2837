import { describe, test, expect } from 'vitest';
import {
  WIRE_SCHEMA_NAMES,
  listSchemaFiles,
  validateFormat,
  validateWire,
  type WireSchemaName,
} from '../src/schema/registry.js';

/** A copy of `value` with the JSON pointer `path` set to `replacement` (`undefined` deletes it). */
function edit(value: unknown, path: string, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('/').slice(1);
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, copy);
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const chatCompletion = {
  id: 'chatcmpl-C4GmWI2Sl7HnrQsKorSAZkJy94dpT',
  object: 'chat.completion',
  created: 1755133856,
  model: 'gpt-5-nano-2025-08-07',
  // As OpenAI sends it: no choices[].logprobs, system_fingerprint null.
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [{ id: 'call_8fxy', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
    },
  ],
  usage: { prompt_tokens: 162, completion_tokens: 287, total_tokens: 449, prompt_tokens_details: { cached_tokens: 0 } },
  service_tier: 'default',
  system_fingerprint: null,
};

const chunk = {
  id: 'chatcmpl-AU9UHwljw3ZaJwEwbBETGfatPqgVl',
  object: 'chat.completion.chunk',
  created: 1731749673,
  model: 'gpt-4o-2024-08-06',
  system_fingerprint: null,
  choices: [
    {
      index: 0,
      delta: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ index: 0, id: 'call_1XGy', type: 'function', function: { name: 'plus', arguments: '' } }],
      },
      logprobs: null,
      finish_reason: null,
    },
  ],
  usage: null,
  obfuscation: 'WuQNX',
};

const chatBody = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1711652795,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi', refusal: null } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

interface SchemaCase {
  valid: unknown;
  /** JSON pointer and the wrongly typed value put there; `expected` is the finding's text. */
  wrongType: { path: string; value: unknown; expected: string };
  /** A required, non-nullable property to delete. */
  missing: string;
}

const cases: Record<WireSchemaName, SchemaCase> = {
  'chat-completion': {
    valid: chatCompletion,
    wrongType: { path: '/created', value: '1755133856', expected: 'integer' },
    missing: '/choices/0/index',
  },
  'chat-completion-chunk': {
    valid: chunk,
    wrongType: { path: '/choices/0/delta/tool_calls/0/index', value: '0', expected: 'integer' },
    missing: '/choices/0/delta',
  },
  'tool-call': {
    valid: { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    wrongType: { path: '/function/arguments', value: { a: 1 }, expected: 'string' },
    missing: '/id',
  },
  usage: {
    valid: { prompt_tokens: 10, completion_tokens: 9, total_tokens: 19, completion_tokens_details: { reasoning_tokens: 0 } },
    wrongType: { path: '/total_tokens', value: '19', expected: 'integer' },
    missing: '/prompt_tokens',
  },
  'embeddings-response': {
    valid: {
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ object: 'embedding', index: 0, embedding: [0.0176, -0.0457] }],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    },
    wrongType: { path: '/data/0/index', value: '0', expected: 'integer' },
    missing: '/usage',
  },
  model: {
    valid: { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
    wrongType: { path: '/created', value: '2024-05-10', expected: 'integer' },
    missing: '/owned_by',
  },
  'model-list': {
    valid: { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] },
    wrongType: { path: '/data', value: {}, expected: 'array' },
    missing: '/data/0/object',
  },
  file: {
    valid: {
      id: 'file-abc123',
      object: 'file',
      bytes: 120000,
      created_at: 1677610602,
      filename: 'batch.jsonl',
      purpose: 'batch',
      status: 'processed',
      status_details: null,
    },
    wrongType: { path: '/bytes', value: '120000', expected: 'integer' },
    missing: '/purpose',
  },
  batch: {
    // OpenAI's answer to a fresh batch, nulls included.
    valid: {
      id: 'batch_abc123',
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: 'file-abc123',
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: 1711471533,
      in_progress_at: null,
      completed_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: null,
    },
    wrongType: { path: '/request_counts/total', value: '0', expected: 'integer' },
    missing: '/input_file_id',
  },
  'batch-list': {
    valid: {
      object: 'list',
      data: [{ id: 'batch_abc123', object: 'batch', endpoint: '/v1/chat/completions', input_file_id: 'file-abc123', completion_window: '24h', status: 'completed', created_at: 1711471533, request_counts: { total: 2, completed: 2, failed: 0 } }],
      first_id: 'batch_abc123',
      last_id: 'batch_abc123',
      has_more: false,
    },
    wrongType: { path: '/has_more', value: 'false', expected: 'boolean' },
    missing: '/data/0/status',
  },
  'batch-input-line': {
    valid: { custom_id: 'request-1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [] } },
    wrongType: { path: '/body', value: '{"model":"gpt-4o-mini"}', expected: 'object' },
    missing: '/custom_id',
  },
  'batch-output-line': {
    valid: {
      id: 'batch_req_123',
      custom_id: 'request-1',
      response: { status_code: 200, request_id: 'req_123', body: chatBody },
      error: null,
    },
    wrongType: { path: '/response/status_code', value: '200', expected: 'integer' },
    missing: '/custom_id',
  },
  'images-response': {
    valid: { created: 1760092079, data: [{ url: 'https://example.com/img.png', revised_prompt: 'a cat' }] },
    wrongType: { path: '/data/0/url', value: 5, expected: 'string' },
    missing: '/created',
  },
  error: {
    valid: { error: { message: 'The model `x` does not exist.', type: 'invalid_request_error', param: null, code: 'model_not_found' } },
    wrongType: { path: '/error/message', value: 5, expected: 'string' },
    missing: '/error/type',
  },
};

describe.each(WIRE_SCHEMA_NAMES)('wire schema %s', (name) => {
  const { valid, wrongType, missing } = cases[name];

  test('accepts the valid sample', () => {
    expect(validateWire(name, valid)).toEqual([]);
  });

  test(`a wrong type at ${wrongType.path} is a must`, () => {
    expect(validateWire(name, edit(valid, wrongType.path, wrongType.value))).toEqual([
      {
        path: wrongType.path,
        expected: wrongType.expected,
        received: JSON.stringify(wrongType.value),
        severity: 'must',
        note: 'type',
      },
    ]);
  });

  test(`a missing ${missing} is a must`, () => {
    expect(validateWire(name, edit(valid, missing, undefined))).toEqual([
      { path: missing, expected: 'property present', received: '(missing)', severity: 'must', note: 'required' },
    ]);
  });
});

describe('required nullable fields', () => {
  test('an omitted message.refusal is a should', () => {
    expect(validateWire('chat-completion', edit(chatCompletion, '/choices/0/message/refusal', undefined))).toEqual([
      {
        path: '/choices/0/message/refusal',
        expected: 'property present',
        received: '(missing)',
        severity: 'should',
        note: 'required',
      },
    ]);
  });

  test.each([
    ['chat-completion-chunk', '/choices/0/finish_reason', chunk],
    ['error', '/error/param', cases.error.valid],
    ['error', '/error/code', cases.error.valid],
    ['batch-output-line', '/error', cases['batch-output-line'].valid],
  ] as const)('%s without %s is a should', (name, path, sample) => {
    expect(validateWire(name, edit(sample, path, undefined))).toEqual([
      expect.objectContaining({ path, severity: 'should' }),
    ]);
  });

  test('an explicit null where null is not allowed is a must', () => {
    expect(validateWire('chat-completion', edit(chatCompletion, '/choices/0/finish_reason', null))).toEqual([
      expect.objectContaining({ path: '/choices/0/finish_reason', received: 'null', severity: 'must', note: 'enum' }),
    ]);
  });
});

describe('OpenAI behaviour that departs from the spec is conformant', () => {
  test('a blocking completion without choices[].logprobs, with null fingerprint', () => {
    expect(validateWire('chat-completion', chatCompletion)).toEqual([]);
  });

  test('a chunk with obfuscation, null usage and no logprobs; the trailing usage chunk', () => {
    expect(validateWire('chat-completion-chunk', edit(chunk, '/choices/0/logprobs', undefined))).toEqual([]);
    const usageChunk = { ...chunk, choices: [], usage: { prompt_tokens: 10, completion_tokens: 9, total_tokens: 19 } };
    expect(validateWire('chat-completion-chunk', usageChunk)).toEqual([]);
  });

  test('a base64 embedding', () => {
    const sample = edit(cases['embeddings-response'].valid, '/data/0/embedding', 'UlenPPk5k71fcBc+teZvvQ==');
    expect(validateWire('embeddings-response', sample)).toEqual([]);
  });
});

describe('tool calls', () => {
  test('a streamed tool-call delta without index is a must', () => {
    expect(validateWire('chat-completion-chunk', edit(chunk, '/choices/0/delta/tool_calls/0/index', undefined))).toEqual([
      {
        path: '/choices/0/delta/tool_calls/0/index',
        expected: 'property present',
        received: '(missing)',
        severity: 'must',
        note: 'required',
      },
    ]);
  });

  test('a custom tool call is checked as one', () => {
    const custom = { id: 'call_2', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } };
    expect(validateWire('tool-call', custom)).toEqual([]);
    expect(validateWire('tool-call', edit(custom, '/custom/input', undefined))).toEqual([
      expect.objectContaining({ path: '/custom/input', severity: 'must' }),
    ]);
  });
});

describe('Gemini (shared/notes/gemini-observed-shapes.md)', () => {
  test('§1 chat completion: only should findings for the omitted nullable fields', () => {
    const gemini = {
      choices: [
        {
          finish_reason: 'tool_calls',
          index: 0,
          message: {
            role: 'assistant',
            tool_calls: [
              { function: { arguments: '{}', name: 'get_current_time' }, id: 'function-call-2900024254458648715', type: 'function' },
            ],
          },
        },
      ],
      created: 1769785752,
      id: 'mMl8af2XFseqqtsPtbCn6Qg',
      model: 'gemini-2.5-pro',
      object: 'chat.completion',
      usage: { completion_tokens: 12, prompt_tokens: 35, total_tokens: 126 },
    };
    const findings = validateWire('chat-completion', gemini);
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['/choices/0/message/content', 'should'],
      ['/choices/0/message/refusal', 'should'],
    ]);
  });

  test('§4 streamed tool call without index', () => {
    const geminiChunk = {
      choices: [
        {
          delta: {
            role: 'assistant',
            tool_calls: [{ function: { arguments: '{"value":["apple"]}', name: 'return_list_of_str' }, id: '', type: 'function' }],
          },
          finish_reason: 'stop',
          index: 0,
        },
      ],
      created: 1740894643,
      model: 'gemini-2.0-flash',
      object: 'chat.completion.chunk',
      usage: { completion_tokens: 11, prompt_tokens: 14, total_tokens: 25 },
    };
    expect(validateWire('chat-completion-chunk', geminiChunk)).toContainEqual(
      expect.objectContaining({ path: '/choices/0/delta/tool_calls/0/index', severity: 'must' }),
    );
  });

  test('§9 batch output line: created as a string fails', () => {
    const line = {
      response: {
        status_code: 200,
        body: {
          id: 'okvAaJuhOdSFjrEP3rDF2QI',
          usage: { completionTokens: 19, promptTokens: 9, totalTokens: 488 },
          object: 'chat.completion',
          choices: [{ message: { role: 'assistant', content: 'A joke.' }, finishReason: 'stop' }],
          created: '1757432746',
          model: 'gemini-2.5-flash',
        },
      },
      custom_id: 'request-1',
    };
    const findings = validateWire('batch-output-line', line);
    expect(findings).toContainEqual({
      path: '/response/body/created',
      expected: 'integer',
      received: '"1757432746"',
      severity: 'must',
      note: 'type',
    });
    expect(findings).toContainEqual(expect.objectContaining({ path: '/id', severity: 'must' }));
    expect(findings).toContainEqual(expect.objectContaining({ path: '/error', severity: 'should' }));
  });

  test('§12 error body wrapped in an array', () => {
    const findings = validateWire('error', [{ error: { code: 400, message: 'Bad', status: 'INVALID_ARGUMENT' } }]);
    expect(findings).toEqual([expect.objectContaining({ path: '', expected: 'object', severity: 'must' })]);
  });
});

describe('finding rendering', () => {
  test('anyOf alternatives that all misfit collapse into one type finding', () => {
    expect(validateWire('chat-completion-chunk', { ...chunk, usage: 'none' })).toEqual([
      { path: '/usage', expected: 'object or null', received: '"none"', severity: 'must', note: 'anyOf' },
    ]);
    expect(validateWire('embeddings-response', edit(cases['embeddings-response'].valid, '/data/0/embedding', 5))).toEqual([
      { path: '/data/0/embedding', expected: 'array or string', received: '5', severity: 'must', note: 'anyOf' },
    ]);
  });

  test('inside the anyOf branch that fits, only that branch speaks', () => {
    const badUsage = { ...chunk, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2.5 } };
    expect(validateWire('chat-completion-chunk', badUsage)).toEqual([
      { path: '/usage/total_tokens', expected: 'integer', received: '2.5', severity: 'must', note: 'type' },
    ]);
  });

  test('enum and const findings list what was allowed', () => {
    expect(validateWire('chat-completion', edit(chatCompletion, '/choices/0/finish_reason', 'eos'))).toEqual([
      {
        path: '/choices/0/finish_reason',
        expected: 'one of "stop","length","tool_calls","content_filter","function_call"',
        received: '"eos"',
        severity: 'must',
        note: 'enum',
      },
    ]);
    expect(validateWire('batch-input-line', edit(cases['batch-input-line'].valid, '/method', 'GET'))).toEqual([
      { path: '/method', expected: '"POST"', received: '"GET"', severity: 'must', note: 'const' },
    ]);
  });

  test('a long received value is cut to 80 characters', () => {
    const [finding] = validateWire('error', { error: 'x'.repeat(500) });
    expect(finding?.received).toHaveLength(80);
    expect(finding?.received.endsWith('…')).toBe(true);
  });
});

describe('registry', () => {
  test('lists every wire schema, and every schema file compiles', () => {
    const files = listSchemaFiles();
    expect(files).toEqual(expect.arrayContaining(WIRE_SCHEMA_NAMES.map((name) => `wire/${name}.schema.json`)));
    for (const file of files) expect(() => validateFormat(file, {})).not.toThrow();
  });

  test('validateFormat takes a file name relative to schemas/', () => {
    expect(validateFormat('wire/error.schema.json', cases.error.valid)).toEqual([]);
    expect(() => validateFormat('nope.schema.json', {})).toThrow(/nope\.schema\.json/);
  });
});
