/**
 * What every bench shares: timing things in turn, medians and spread, and the goal lines that
 * `npm run bench` prints (one per goal: medians, spread, ratio, the goal beside it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'bin', 'oai-compat.mjs');

/** `--rounds N` of the bench command line (each pair is measured N times, in turn). */
export function rounds(fallback: number): number {
  const at = process.argv.indexOf('--rounds');
  const n = at === -1 ? Number(process.env.BENCH_ROUNDS) : Number(process.argv[at + 1]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const made: string[] = [];
process.once('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A temporary folder, removed when the bench exits. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `oai-compat-bench-${name}-`));
  made.push(dir);
  return dir;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of a child process in ms; throws with its output when it exits with another code. */
export function timeProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; expectCode?: number } = {}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      if (code !== (opts.expectCode ?? 0)) reject(new Error(`${args.join(' ')} exited ${code}:\n${stdout}\n${stderr}`));
      else resolve(performance.now() - started);
    });
  });
}

/**
 * Runs every job once per round, in turn (so drift of the machine hits all alike); values per job.
 * Every other round runs them in reverse: what one job leaves behind (garbage to collect, a
 * thread still busy) then weighs on each job alike, not always on the one after it.
 */
export async function inTurn(n: number, jobs: Record<string, () => Promise<number>>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  const order = Object.entries(jobs);
  for (let i = 0; i < n; i++) for (const [name, job] of i % 2 ? [...order].reverse() : order) out[name]!.push(await job());
  return out;
}

export interface Measured {
  label: string;
  values: number[];
  unit: string;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function describe(m: Measured): string {
  const lo = Math.min(...m.values);
  const hi = Math.max(...m.values);
  return `${m.label.padEnd(40)} median ${fmt(median(m.values)).padStart(7)} ${m.unit.padEnd(4)} spread ${fmt(lo)}–${fmt(hi)} (n=${m.values.length})`;
}

/**
 * Prints one goal: the measurements with their medians and spread, then the ratio and the goal
 * (`ratio ≤ limit`). The summary line starts with the goal id, for the runner to collect.
 */
export function report(id: string, title: string, measured: Measured[], ratio: number, limit: number, note?: string): boolean {
  const ok = ratio <= limit;
  process.stdout.write(`\n${id}  ${title}\n`);
  for (const m of measured) process.stdout.write(`    ${describe(m)}\n`);
  if (note) process.stdout.write(`    ${note}\n`);
  process.stdout.write(`${id}  ratio ${ratio.toFixed(2)}  goal ≤ ${limit}  ${ok ? 'met' : 'MISSED'}  ${title}\n`);
  return ok;
}

/**
 * Memory in use after a full collection: the JS heap and external memory (Node keeps strings
 * over about 1 MB, such as a long stream's body, and buffers outside the heap). The benches run
 * with --expose-gc.
 */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the benches with node --expose-gc (npm run bench does)');
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}
