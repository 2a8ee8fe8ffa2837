import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { bytes, json } from '../http.js';
import type { Route } from '../router.js';
import type { ApiRequest, FileObject, Reply, StoredFile } from '../stages.js';
import { CREATED, idFrom } from '../ids.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

/** Keep a file in the server's store; batches also write their output files through this. */
export function storeFile(ctx: ServerContext, content: Buffer, filename: string, purpose: string): FileObject {
  const meta: FileObject = {
    id: idFrom('file-', ctx.nextSeq(), filename, content),
    object: 'file',
    bytes: content.length,
    created_at: CREATED,
    filename,
    purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  };
  ctx.files.set(meta.id, { meta, content });
  return meta;
}

export function requireFile(ctx: ServerContext, id: string, param: string): StoredFile {
  const file = ctx.files.get(id);
  if (!file) throw notFound(`No such File object: ${id}`, param);
  return file;
}

async function upload(req: ApiRequest, ctx: ServerContext): Promise<Reply> {
  let form: FormData;
  try {
    const request = new Request('http://reference.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: new Uint8Array(req.raw),
    });
    form = await request.formData();
  } catch {
    throw invalid("The request body must be multipart/form-data with the fields 'purpose' and 'file'.");
  }
  const purpose = form.get('purpose');
  const file = form.get('file');
  if (typeof purpose !== 'string' || !PURPOSES.includes(purpose)) {
    throw invalid(`Invalid 'purpose': expected one of ${PURPOSES.join(', ')}.`, 'purpose', 'invalid_value');
  }
  if (!(file instanceof Blob)) throw invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  const name = file instanceof File && file.name ? file.name : 'upload';
  return json(storeFile(ctx, Buffer.from(await file.arrayBuffer()), name, purpose));
}

export const fileRoutes: Route[] = [
  { method: 'POST', path: '/files', op: 'files.create', handle: (req, _, ctx) => upload(req, ctx) },
  {
    method: 'GET',
    path: '/files',
    op: 'files.list',
    handle: (_, __, ctx) => json({ object: 'list', data: [...ctx.files.values()].map((f) => f.meta), has_more: false }),
  },
  { method: 'GET', path: '/files/:id', op: 'files.retrieve', handle: (_, { id }, ctx) => json(requireFile(ctx, id, 'id').meta) },
  {
    method: 'GET',
    path: '/files/:id/content',
    op: 'files.content',
    handle: (_, { id }, ctx) => {
      const file = requireFile(ctx, id, 'id');
      return bytes(file.content, file.meta.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream');
    },
  },
];
