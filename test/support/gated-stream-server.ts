import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A well-formed OpenAI chat.completion.chunk. */
export function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-gated', object: 'chat.completion.chunk', created: 1735689600, model: 'gated', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
}

export const FIRST = chunk({ role: 'assistant', content: 'Hello' });
export const REST = [chunk({ content: ' there' }), chunk({}, 'stop'), 'data: [DONE]\n\n'];

/**
 * An upstream that streams its first chat chunk at once and the rest only when the test calls
 * `release()`: a client that has the first chunk before then got it unbuffered. `release('reset')`
 * breaks the stream off instead.
 */
export async function startGatedStreamServer(): Promise<{ url: string; release(how?: 'finish' | 'reset'): void; released(): boolean; close(): Promise<void> }> {
  let open!: (how: 'finish' | 'reset') => void;
  let released = false;
  const gate = new Promise<'finish' | 'reset'>((resolve) => (open = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.write(FIRST);
      void gate.then((how) => {
        // `reset`: the upstream breaks off mid-stream, without the rest or [DONE].
        if (how === 'reset') return void res.socket?.destroy();
        for (const part of REST) res.write(part);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    release: (how = 'finish') => {
      released = true;
      open(how);
    },
    released: () => released,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
