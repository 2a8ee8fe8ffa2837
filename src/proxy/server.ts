import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { errorMessage } from '../core/errors.js';
import type { CheckResult } from '../core/types.js';
import { headerRecord, type CapturedExchange } from '../passive/captured.js';
import { judgeCaptured } from '../passive/judge.js';
import { redactHeaders, redactSecrets, SECRET_HEADERS } from '../transport/redact.js';

// Connection-level headers describe one hop, not the message: never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

const CLOSE_GRACE_MS = 2000;

export interface ProxyOptions {
  /** Where requests go: the proxy's `/x` is forwarded to `<upstream>/x`. */
  upstream: string;
  /** 0 picks a free port. */
  port: number;
  /** Called once per exchange, after it completed and was checked (results free of secrets). */
  onExchange?: (captured: CapturedExchange, results: CheckResult[], target: { id: string; baseUrl: string }) => void;
  /** The `file` of each result's source (the HAR file the traffic is written to, if any). */
  sourceFile: string;
  /** Keep every exchange in `captured` (for a HAR); otherwise each is dropped once checked. */
  keepTraffic?: boolean;
}

export interface RunningProxy {
  url: string;
  port: number;
  /** With `keepTraffic`: every exchange so far, in arrival order (request headers with credentials blanked). */
  captured: CapturedExchange[];
  /** Credentials seen in requests: removed, in any encoding, from everything written. */
  secrets: Set<string>;
  /** Stops accepting, then waits (up to 2 s) for the exchanges in flight to be answered and checked. */
  close(): Promise<void>;
}

/** The credential values a request carries, to be removed wherever they appear later. */
function secretsOf(headers: Record<string, string>, url: URL): string[] {
  const found: string[] = [];
  for (const name of SECRET_HEADERS) {
    const value = headers[name];
    if (!value) continue;
    found.push(value);
    const scheme = /^(bearer|basic|token)\s+(.+)$/i.exec(value);
    if (scheme?.[2]) {
      found.push(scheme[2]);
      // Basic credentials are base64 of user:password: both halves are secrets too.
      if (/^basic$/i.test(scheme[1]!)) found.push(...Buffer.from(scheme[2], 'base64').toString('utf8').split(':'));
    }
  }
  for (const [name, value] of url.searchParams) if (/^(key|api[-_]?key|access[-_]?token|token)$/i.test(name) && value) found.push(value);
  return found.filter((s) => s.length >= 8);
}

/** The body as the client got it, decoded for the checks (the client itself gets the bytes untouched). */
function decoded(body: Buffer, encoding: string | undefined): string {
  try {
    if (/\bgzip\b/.test(encoding ?? '')) return gunzipSync(body).toString('utf8');
    if (/\bbr\b/.test(encoding ?? '')) return brotliDecompressSync(body).toString('utf8');
    if (/\bdeflate\b/.test(encoding ?? '')) return inflateSync(body).toString('utf8');
  } catch {
    // Not what the header says: the checks see the bytes as they came.
  }
  return body.toString('utf8');
}

function readRequest(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A validating pass-through on 127.0.0.1: each request goes to the upstream as it came, and the
 * answer comes back chunk by chunk as the upstream sends it, status, headers and bytes untouched.
 * A copy of each exchange is checked once it has completed, off the client's path.
 */
export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const upstream = opts.upstream.replace(/\/+$/, '');
  const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
  const captured: CapturedExchange[] = [];
  let arrivals = 0;
  const secrets = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const target = new URL(upstream + (req.url ?? '/'));
    const inHeaders = headerRecord(Object.entries(req.headers));
    for (const s of secretsOf(inHeaders, target)) secrets.add(s);
    const body = await readRequest(req);
    const entry: CapturedExchange = {
      source: { file: opts.sourceFile, entry: arrivals++ },
      request: {
        method: (req.method ?? 'GET').toUpperCase(),
        url: target.href,
        headers: redactHeaders(inHeaders),
        ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
      },
      startedAt,
      durationMs: 0,
    };
    if (opts.keepTraffic) captured.push(entry);
    const forward = Object.fromEntries(Object.entries(inHeaders).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-length'));
    let answer: Dispatcher.ResponseData | undefined;
    const chunks: Buffer[] = [];
    let clientGone = false;
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      answer?.body.destroy();
    });
    try {
      answer = await request(target, {
        method: entry.request!.method as 'GET',
        headers: forward,
        ...(body.length > 0 ? { body } : {}),
        dispatcher: agent,
      });
      const outHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(answer.statusCode, outHeaders as Record<string, string | string[]>);
      res.flushHeaders();
      for await (const chunk of answer.body) {
        chunks.push(chunk as Buffer);
        if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        if (clientGone) break;
      }
      res.end();
    } catch (error) {
      entry.transportError = `no answer from ${target.origin}${target.pathname}: ${errorMessage(error)}`;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `oai-compat proxy: ${entry.transportError}`, type: 'proxy_error', param: null, code: 'upstream_unreachable' } }));
      } else {
        res.destroy();
      }
    }
    if (answer) {
      // What arrived, even if the upstream broke off mid-body: the checks say what is missing.
      const headers = headerRecord(Object.entries(answer.headers));
      entry.response = { status: answer.statusCode, headers: redactHeaders(headers), body: decoded(Buffer.concat(chunks), headers['content-encoding']) };
    }
    if (clientGone) entry.incomplete = 'the client closed the connection before the answer was complete';
    entry.durationMs = Math.round(performance.now() - started);
    const { results, target: host } = await judgeCaptured(entry);
    const clean = JSON.parse(redactSecrets(JSON.stringify(results), [...secrets])) as CheckResult[];
    opts.onExchange?.(entry, clean, host);
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `oai-compat proxy: ${redactSecrets(errorMessage(error), [...secrets])}`, type: 'proxy_error', param: null, code: null } }));
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    captured,
    secrets,
    async close() {
      server.close();
      server.closeIdleConnections();
      // Exchanges in flight get a moment to finish and be checked; a stream left open does not hold the report back.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
      server.closeAllConnections();
      await agent.destroy();
    },
  };
}
