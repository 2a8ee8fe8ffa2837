import { MODEL_IDS } from '../models.js';
import { isObject } from '../params.js';
import type { Obj } from '../stages.js';
import { onJson, onOk } from './shape.js';
import type { Fault } from './pipeline.js';

const NOT_AN_IMAGE = Buffer.from('This is not an image.\n');

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
  'unknown-model-400': {
    description: 'an unknown model is answered with 400 instead of 404',
    reply: onJson((r) => (r.status === 404 && isObject(r.body) && isObject(r.body.error) && r.body.error.code === 'model_not_found' ? { ...r, status: 400 } : r)),
  },
};
