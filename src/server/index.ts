import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerContext } from './context.js';
import { ApiError, errorReply, toErrorReply, unauthorized } from './errors.js';
import { resolveFaults } from './faults/index.js';
import { keyOf } from './auth.js';
import { readBody, writeReply } from './http.js';
import { matchRoute, type Route } from './router.js';
import type { ApiRequest, Reply } from './stages.js';
import { idFrom } from './ids.js';
import { batchRoutes } from './routes/batches.js';
import { chatRoutes } from './routes/chat.js';
import { embeddingRoutes } from './routes/embeddings.js';
import { fileRoutes } from './routes/files.js';
import { imageRoutes } from './routes/images.js';
import { modelRoutes } from './routes/models.js';

export { FAULTS, PROFILES } from './faults/index.js';
export { REFERENCE_MODELS } from './models.js';

export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A name from PROFILES; default `openai`. */
  profile?: string;
  /** Names from FAULTS, added to the profile's. */
  faults?: string[];
  /** The one accepted API key; default REFERENCE_API_KEY. */
  apiKey?: string;
  /** One line per request: method, path, status. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  port: number;
  requestCount(): number;
  close(): Promise<void>;
}

export const REFERENCE_API_KEY = 'sk-oai-compat-reference';

const ROUTES: Route[] = [...modelRoutes, ...chatRoutes, ...embeddingRoutes, ...imageRoutes, ...fileRoutes, ...batchRoutes];

/** Start the deterministic OpenAI-compatible reference server. */
export async function startReferenceServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const faults = resolveFaults(opts.profile, opts.faults);
  const host = opts.host ?? '127.0.0.1';
  const key = opts.apiKey ?? REFERENCE_API_KEY;
  const closing = new AbortController();
  let requests = 0;
  let seq = 0;
  const ctx: ServerContext = {
    baseUrl: '',
    faults,
    files: new Map(),
    images: new Map(),
    batches: new Map(),
    nextSeq: () => String(++seq),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://reference.invalid');
    const method = req.method ?? 'GET';
    let json: unknown;
    let invalidJson = false;
    if (raw.length && !String(req.headers['content-type']).startsWith('multipart/')) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        invalidJson = true;
      }
    }
    const apiReq = faults.request({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      raw,
      json,
      invalidJson,
      // The key is accepted in any header a vendor uses for it (Bearer, Azure's api-key, Google's x-goog-api-key).
      authorized: keyOf(req.headers) === key,
    });
    const { op, reply } = await dispatch(apiReq);
    const final = faults.reply(reply, op);
    opts.log?.(`${method} ${url.pathname} ${final.status}`);
    await writeReply(res, { ...final, headers: { 'x-request-id': idFrom('req_', method, url.pathname, raw), ...final.headers } }, closing.signal);
  }

  async function dispatch(req: ApiRequest): Promise<{ op: string; reply: Reply }> {
    const found = req.path.startsWith('/v1/') ? matchRoute(ROUTES, req.method, req.path.slice(3)) : undefined;
    const op = found?.route.op ?? 'unknown';
    if (req.throttled) return { op, reply: { ...errorReply(429, 'Rate limit reached for requests. Please try again later.', { type: 'requests', code: 'rate_limit_exceeded' }), headers: { 'retry-after': req.throttled.retryAfter } } };
    if (!found?.route.public && !req.authorized) return { op, reply: unauthorized() };
    if (!found) return { op, reply: errorReply(404, `Invalid URL (${req.method} ${req.path})`) };
    if (req.invalidJson) return { op, reply: errorReply(400, 'We could not parse the JSON body of your request.') };
    if (req.rejected) return { op, reply: { ...errorReply(req.rejected.status, req.rejected.message, { param: req.rejected.param }), ...(req.rejected.headers ? { headers: req.rejected.headers } : {}) } };
    try {
      return { op, reply: await found.route.handle(req, found.params, ctx) };
    } catch (err) {
      if (!(err instanceof ApiError)) opts.log?.(`internal error in ${op}: ${(err as Error)?.message}`);
      return { op, reply: toErrorReply(err) };
    }
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    requests++;
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;

  return {
    baseUrl: ctx.baseUrl,
    port,
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
