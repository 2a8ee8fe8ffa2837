import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the proxy damages what passes through it. */
export type Corruption = 'none' | 'response-field' | 'stream-framing' | 'error-body' | 'tool-args-every-other';

type Damage = (body: string, status: number, contentType: string) => string;

/**
 * An intermittent model: every other time the same tool-calling answer comes (the reference
 * server answers a request with the same bytes), it sends `{}` as the arguments (in a stream,
 * every fragment). Counted per answer: cases with different answers keep their own turns; cases
 * that send the same request share them.
 */
function everyOtherToolCall(): Damage {
  const answers = new Map<string, number>();
  return (body) => {
    if (!body.includes('"tool_calls"')) return body;
    const turn = (answers.get(body) ?? 0) + 1;
    answers.set(body, turn);
    return turn % 2 === 0 ? body.replace(/"arguments":\s*"(?:[^"\\]|\\.)*"/g, '"arguments":"{}"') : body;
  };
}

const damage: Record<Exclude<Corruption, 'tool-args-every-other'>, Damage> = {
  none: (body) => body,
  // Every integer `created` becomes a string, in JSON bodies and in every stream chunk.
  'response-field': (body) => body.replace(/"created":\s*(\d+)/g, '"created":"$1"'),
  // Events no longer end with a blank line.
  'stream-framing': (body, _status, type) => (type.includes('event-stream') ? body.replace(/\n\n/g, '\n') : body),
  // Error bodies lose the OpenAI envelope.
  'error-body': (body, status) => (status >= 400 ? JSON.stringify({ message: 'something went wrong' }) : body),
};

/** What the proxy saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** A loopback HTTP proxy to `upstream` (an origin) that corrupts responses one way; every request it passes is pushed to `seen`. */
export async function startCorruptingProxy(upstream: string, corruption: Corruption, seen: SeenRequest[] = []): Promise<{ url: string; close(): Promise<void> }> {
  const corrupt = corruption === 'tool-args-every-other' ? everyOtherToolCall() : damage[corruption];
  const server = http.createServer(async (req, res) => {
    seen.push({ method: req.method!, path: req.url!, headers: req.headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const answer = await fetch(new URL(req.url!, upstream), {
      method: req.method!,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    const type = answer.headers.get('content-type') ?? '';
    const body = corrupt(await answer.text(), answer.status, type);
    res.writeHead(answer.status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
