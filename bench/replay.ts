/**
 * P1: a replay of the full suite, and `npm start`, against a vitest run of as many empty tests in
 * as many files (vitest's defaults: the floor any vitest-based runner pays).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_VOCABULARY } from '../src/checks/ids.js';
import { FEATURE_IDS } from '../src/core/types.js';
import { listMedia, loadFixtures } from '../src/fixtures/load.js';
import { CLI, inTurn, median, report, ROOT, rounds, tempDir, timeProcess } from './support/measure.js';

const fixtures = path.join(ROOT, 'fixtures');
const cases = loadFixtures(fixtures, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixtures)) });
/** Tests per feature file, as the suite declares them (a feature without cases has one skipped test). */
const testsPerFile = FEATURE_IDS.map((f) => Math.max(1, cases.filter((c) => c.feature === f).reduce((n, c) => n + c.transports.length, 0)));

const dir = tempDir('replay');
const floor = path.join(dir, 'floor');
mkdirSync(floor);
writeFileSync(path.join(floor, 'vitest.config.mjs'), 'export default { test: { globals: true } };\n');
testsPerFile.forEach((n, i) => {
  const tests = Array.from({ length: n }, (_, t) => `test('empty ${t}', () => {});`).join('\n');
  writeFileSync(path.join(floor, `f${i}.test.js`), `${tests}\n`);
});
const vitestBin = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const recordings = path.join(dir, 'recordings');

await timeProcess([CLI, 'run', '--mode', 'record', '--recordings', recordings, '--out', path.join(dir, 'record')]);
const n = rounds(5);
const ms = await inTurn(n, {
  floor: () => timeProcess([vitestBin, 'run', '--root', floor, '--config', path.join(floor, 'vitest.config.mjs')], { cwd: floor }),
  replay: () => timeProcess([CLI, 'run', '--mode', 'replay', '--recordings', recordings, '--out', path.join(dir, 'replay')]),
  start: () => timeProcess([CLI, 'run', '--out', path.join(dir, 'start')]),
});
const s = (v: number[]) => v.map((x) => x / 1000);
const files = `${testsPerFile.length} files, ${testsPerFile.reduce((a, b) => a + b, 0)} tests`;
const floorM = { label: `empty vitest run (${files})`, values: s(ms.floor!), unit: 's' };
report('P1', 'replay of the full suite / empty vitest run', [{ label: 'oai-compat run --mode replay', values: s(ms.replay!), unit: 's' }, floorM], median(ms.replay!) / median(ms.floor!), 1.3);
report('P1s', 'npm start / empty vitest run', [{ label: 'npm start (oai-compat run)', values: s(ms.start!), unit: 's' }, floorM], median(ms.start!) / median(ms.floor!), 1.5);
