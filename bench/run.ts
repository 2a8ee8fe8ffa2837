/**
 * `npm run bench`: runs every bench/*.ts (this file aside) in name order, each in its own Node
 * process, then repeats the goal lines of all of them. Extra arguments (e.g. `--rounds 3`) are
 * passed to every bench. Exit code 1 when a bench crashed; a missed goal is reported, not fatal.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--rounds');
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== self && (only.length === 0 || only.some((o) => f.startsWith(o))))
  .sort();
const passed = process.argv.slice(2).filter((a) => !only.includes(a));

const goals: string[] = [];
let crashed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file}\n`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, file), ...passed], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      process.stdout.write(data);
      output += data.toString('utf8');
    });
    child.on('close', (c) => {
      goals.push(...output.split('\n').filter((line) => /^P\d+\w*\s+ratio/.test(line)));
      resolve(c ?? 1);
    });
  });
  if (code !== 0) {
    crashed++;
    process.stdout.write(`bench/${file} failed (exit ${code})\n`);
  }
}
process.stdout.write(`\n=== summary\n${goals.join('\n')}\n`);
process.exitCode = crashed > 0 ? 1 : 0;
