import { decodeFloats, encodeFloats } from '../floats.js';
import { errorReply } from '../errors.js';
import { encodePng } from '../../media/png.js';
import { MODEL_IDS } from '../models.js';
import { isObject } from '../params.js';
import type { Obj } from '../stages.js';
import { onJson, onOk } from './shape.js';
import type { Fault } from './pipeline.js';

const NOT_AN_IMAGE = Buffer.from('This is not an image.\n');
const BLUE_PNG_URL = `data:image/png;base64,${encodePng(8, 8, () => [0, 0, 255, 255]).toString('base64')}`;

/** The embeddings of a reply, each rewritten by `f` (a float array, or base64 of float32). */
const mapEmbeddings = (f: (e: unknown) => unknown) =>
  onOk('embeddings', (r) => {
    const body = r.body as { data: Obj[] };
    return { ...r, body: { ...body, data: body.data.map((d) => ({ ...d, embedding: f(d.embedding) })) } };
  });

const hasImagePart = (json: unknown) =>
  isObject(json) && Array.isArray(json.messages) && json.messages.some((m) => isObject(m) && Array.isArray(m.content) && m.content.some((p) => isObject(p) && p.type === 'image_url'));

/** Faults of the resource endpoints' replies: models, embeddings, images. */
export const resourceFaults: Record<string, Fault> = {
  'embedding-wrong-dimensions': {
    description: 'embeddings ignore dimensions and the first vector is one element longer than the others',
    request: (req) => {
      if (!req.path.endsWith('/embeddings') || !isObject(req.json)) return req;
      const { dimensions: _, ...json } = req.json;
      return { ...req, json };
    },
    reply: onOk('embeddings', (r) => {
      const body = r.body as { data: Obj[] };
      const [first, ...others] = body.data;
      const e = first.embedding;
      const longer = Array.isArray(e) ? [...e, 0] : Buffer.concat([Buffer.from(e as string, 'base64'), Buffer.alloc(4)]).toString('base64');
      return { ...r, body: { ...body, data: [{ ...first, embedding: longer }, ...others] } };
    }),
  },
  'image-not-image': {
    description: 'generated images (b64_json and url) are bytes that are not an image',
    reply: (r, op) => {
      if (op === 'images.content' && r.kind === 'bytes') return { ...r, body: NOT_AN_IMAGE };
      if (op !== 'images.generate' || r.kind !== 'json' || r.status !== 200) return r;
      const body = r.body as { data: Obj[] };
      const data = body.data.map((d) => (d.b64_json ? { ...d, b64_json: NOT_AN_IMAGE.toString('base64') } : d));
      return { ...r, body: { ...body, data } };
    },
  },
  'model-id-mismatch': {
    description: 'GET /models/{id} answers with another model id',
    reply: onOk('models.retrieve', (r) => {
      const body = r.body as Obj;
      return { ...r, body: { ...body, id: MODEL_IDS.find((id) => id !== body.id) } };
    }),
  },
  'models-prefix': {
    description: 'model ids in list/retrieve carry a models/ prefix, which requests may also use (Gemini)',
    request: (req) => ({
      ...req,
      path: req.path.replace(/^\/v1\/models\/models(\/|%2F)/i, '/v1/models/'),
      json: isObject(req.json) && typeof req.json.model === 'string' ? { ...req.json, model: req.json.model.replace(/^models\//, '') } : req.json,
    }),
    reply: (r, op) => {
      if (r.kind !== 'json' || r.status !== 200) return r;
      const prefix = (m: Obj) => ({ ...m, id: `models/${m.id}` });
      const body = r.body as Obj;
      if (op === 'models.retrieve') return { ...r, body: prefix(body) };
      if (op === 'models.list') return { ...r, body: { ...body, data: (body.data as Obj[]).map(prefix) } };
      return r;
    },
  },
  'embeddings-base64-big-endian': {
    description: 'base64 embeddings carry big-endian float32 values (a client decoding little-endian gets other numbers)',
    reply: mapEmbeddings((e) => (typeof e === 'string' ? encodeFloats(decodeFloats(Buffer.from(e, 'base64')), 'BE').toString('base64') : e)),
  },
  'embeddings-base64-ignored': {
    description: 'encoding_format base64 is ignored: floats come back, which the SDK (asking base64 by default) decodes into a vector a quarter as long (Ollama, RWD O3)',
    request: (req) => (req.path.endsWith('/embeddings') && isObject(req.json) ? { ...req, json: { ...req.json, encoding_format: 'float' } } : req),
  },
  'embeddings-batch-limit': {
    description: 'more than 100 inputs in one embeddings request are a 400 "at most 100 requests can be in one batch" (Gemini, RWD G14; OpenAI takes 2048)',
    request: (req) => {
      const input = isObject(req.json) ? req.json.input : undefined;
      if (!req.path.endsWith('/embeddings') || !Array.isArray(input) || input.length <= 100) return req;
      return { ...req, rejected: { status: 400, message: '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch', param: null } };
    },
  },
  'image-size-ignored': {
    description: 'images.generate ignores size: every image is 16x16',
    request: (req) => {
      if (!req.path.endsWith('/images/generations') || !isObject(req.json)) return req;
      const { size: _, ...json } = req.json;
      return { ...req, json };
    },
  },
  'image-misread': {
    description: 'the model sees every image as a blue square, whatever was sent',
    request: (req) => {
      if (!req.path.endsWith('/chat/completions') || !hasImagePart(req.json)) return req;
      const json = JSON.parse(JSON.stringify(req.json), (k, v) => (k === 'image_url' && isObject(v) ? { ...v, url: BLUE_PNG_URL } : v));
      return { ...req, json };
    },
  },
  'image-input-500': {
    description: 'a chat request with an image is answered 500 "image input is not supported" (llama.cpp without a vision projector)',
    request: (req) => (req.path.endsWith('/chat/completions') && hasImagePart(req.json) ? { ...req, rejected: { status: 500, message: 'image input is not supported - hint: if this is unexpected, you may need to provide the mmproj', param: null } } : req),
  },
  'unknown-model-400': {
    description: 'an unknown model is answered with 400 instead of 404',
    reply: onJson((r) => (r.status === 404 && isObject(r.body) && isObject(r.body.error) && r.body.error.code === 'model_not_found' ? { ...r, status: 400 } : r)),
  },
  'bad-key-400': {
    description: 'a wrong API key is answered 400 INVALID_ARGUMENT "API key not valid" instead of 401 (Gemini)',
    reply: onJson((r) => (r.status === 401 ? errorReply(400, 'API key not valid. Please pass a valid API key.', { code: 'INVALID_ARGUMENT' }) : r)),
  },
};
