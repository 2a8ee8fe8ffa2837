// Writes the committed media fixtures (fixtures/media/). Output is byte-for-byte deterministic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MEDIA_FILES } from '../src/media/fixtures.js';

const dir = fileURLToPath(new URL('../fixtures/media/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, make] of Object.entries(MEDIA_FILES)) {
  const bytes = make();
  writeFileSync(dir + name, bytes);
  console.log(`fixtures/media/${name}: ${bytes.length} bytes`);
}
