// The thread of src/checks/stream-thread.ts: runs the stream pass, with the fold of every check,
// over the bytes of each long stream as they arrive, and answers its digest at the end.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// On Linux a thread has its own nice value (0: the calling thread): this one yields the CPU to
// the main thread, where the SDK reads the stream. Elsewhere the call would slow the whole process.
if (process.platform === 'linux') setPriority(0, 10);
register();
const { createStreamPass } = await import('./stream-pass.ts');
await import('./index.ts'); // every check module registers its folds

const passes = new Map();
parentPort.on('message', ({ id, bytes, end, abort }) => {
  if (abort) return void passes.delete(id);
  let pass = passes.get(id);
  if (!pass) passes.set(id, (pass = createStreamPass()));
  try {
    if (bytes) pass.feed(bytes);
    if (!end) return;
    passes.delete(id);
    parentPort.postMessage({ id, digest: pass.end() });
  } catch {
    // The main thread digests this stream itself, and reports what goes wrong there.
    passes.delete(id);
    parentPort.postMessage({ id });
  }
});
