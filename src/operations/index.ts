import OpenAI, { toFile } from 'openai';
import type { Operation } from '../fixtures/load.js';

/** The wire schema a response body is checked against (schemas/wire/<name>.schema.json). */
export type BodySchema =
  | 'chat-completion'
  | 'embeddings-response'
  | 'model'
  | 'model-list'
  | 'file'
  | 'batch'
  | 'batch-list'
  | 'batch-output-line'
  | 'images-response';

export interface SdkCallResult {
  value: unknown;
}

/** How one fixture `call` is made through the official SDK and what its success looks like on the wire. */
export interface OperationDef {
  /** Can run as a stream (then every chunk is checked against chat-completion-chunk). */
  streamable: boolean;
  /** `json`: one JSON body; `jsonl`: one JSON object per line, each checked against `schema`. */
  body: 'json' | 'jsonl';
  schema: BodySchema;
  /** The model role/name goes into this request field. */
  modelField?: 'model';
  invoke(client: OpenAI, params: Record<string, unknown>, stream: boolean): Promise<SdkCallResult>;
}

type P = Record<string, unknown>;

async function streamChat(client: OpenAI, params: P): Promise<SdkCallResult> {
  // The SDK's own stream helper: it iterates chunks and reassembles them the way apps do,
  // so a stream it cannot put together fails here, as it would in an app.
  // The chunks are not kept: the checks read them off the wire, in one pass (src/checks/stream-pass.ts).
  const stream = client.chat.completions.stream(params as never);
  for await (const chunk of stream) void chunk;
  return { value: await stream.finalChatCompletion() };
}

export const OPERATIONS: Record<Operation, OperationDef> = {
  'models.list': {
    streamable: false,
    body: 'json',
    schema: 'model-list',
    async invoke(client) {
      const data: unknown[] = [];
      for await (const model of client.models.list()) data.push(model);
      return { value: { object: 'list', data } };
    },
  },
  'models.retrieve': {
    streamable: false,
    body: 'json',
    schema: 'model',
    modelField: 'model',
    invoke: async (client, p) => ({ value: await client.models.retrieve(String(p.model)) }),
  },
  'chat.completions.create': {
    streamable: true,
    body: 'json',
    schema: 'chat-completion',
    modelField: 'model',
    invoke: async (client, p, stream) =>
      stream ? streamChat(client, p) : { value: await client.chat.completions.create(p as never) },
  },
  'chat.completions.parse': {
    streamable: false,
    body: 'json',
    schema: 'chat-completion',
    modelField: 'model',
    invoke: async (client, p) => ({ value: await client.chat.completions.parse(p as never) }),
  },
  'embeddings.create': {
    streamable: false,
    body: 'json',
    schema: 'embeddings-response',
    modelField: 'model',
    invoke: async (client, p) => ({ value: await client.embeddings.create(p as never) }),
  },
  'images.generate': {
    streamable: false,
    body: 'json',
    schema: 'images-response',
    modelField: 'model',
    invoke: async (client, p) => ({ value: await client.images.generate(p as never) }),
  },
  'files.create': {
    streamable: false,
    body: 'json',
    schema: 'file',
    async invoke(client, p) {
      const spec = p.file as { filename: string; jsonl: unknown[] };
      const text = spec.jsonl.map((line) => JSON.stringify(line)).join('\n') + '\n';
      const file = await toFile(Buffer.from(text, 'utf8'), spec.filename, { type: 'application/jsonl' });
      return { value: await client.files.create({ file, purpose: p.purpose as 'batch' }) };
    },
  },
  'files.content': {
    streamable: false,
    body: 'jsonl',
    schema: 'batch-output-line',
    async invoke(client, p) {
      const response = await client.files.content(String(p.file_id));
      return { value: await response.text() };
    },
  },
  'batches.create': {
    streamable: false,
    body: 'json',
    schema: 'batch',
    invoke: async (client, p) => ({ value: await client.batches.create(p as never) }),
  },
  'raw.post': {
    streamable: false,
    body: 'json',
    schema: 'chat-completion',
    // The SDK's generic post sends a string body verbatim when a content type is set.
    invoke: async (client, p) => ({ value: await client.post(String(p.path), { body: String(p.body), headers: { 'content-type': 'application/json' } }) }),
  },
  'batches.retrieve': {
    streamable: false,
    body: 'json',
    schema: 'batch',
    invoke: async (client, p) => ({ value: await client.batches.retrieve(String(p.batch_id)) }),
  },
  'batches.list': {
    streamable: false,
    body: 'json',
    schema: 'batch-list',
    // One page, as the API sent it (the SDK's auto-pagination would hide has_more and the page size).
    async invoke(client, p) {
      const page = await client.batches.list(p as never);
      return { value: { object: 'list', data: page.data, has_more: page.has_more } };
    },
  },
  'batches.cancel': {
    streamable: false,
    body: 'json',
    schema: 'batch',
    invoke: async (client, p) => ({ value: await client.batches.cancel(String(p.batch_id)) }),
  },
};
