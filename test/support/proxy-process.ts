import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'oai-compat.mjs');

/** `oai-compat proxy ARGS` as a child process, and the URL it listens on once it says so. */
export async function spawnProxy(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0', ...args], { env });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /: (http:\/\/127\.0\.0\.1:\d+) -> /.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`the proxy exited early: ${stderr}`)));
  });
  return { child, url };
}
