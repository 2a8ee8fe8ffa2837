import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startVitest } from 'vitest/node';
import { MatrixReporter } from '../reporters/matrix-reporter.js';
import type { Report } from '../src/report/build.js';

const root = fileURLToPath(new URL('./fixtures/reporter-project/', import.meta.url));

describe('MatrixReporter on a fixture project', () => {
  let workDir: string;
  let outDir: string;
  let printed = '';
  let reporter: MatrixReporter;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'oai-compat-reporter-'));
    outDir = join(workDir, 'report');
    reporter = new MatrixReporter({
      outDir,
      run: {
        tool: { name: 'oai-compat', version: '0.0.0-test' },
        startedAt: '2025-01-01T00:00:00.000Z',
        targets: [{ id: 'ref', baseUrl: 'http://127.0.0.1:1/v1', mode: 'replay', models: { chat: 'm1' } }],
      },
      print: (text) => {
        printed += text;
      },
    });
    const exitCode = process.exitCode;
    const vitest = await startVitest(
      'test',
      [],
      { root, config: false, watch: false, include: ['*.fixture-test.ts'], reporters: [reporter] },
      // Keep Vite's and Vitest's caches out of the fixture folder.
      { cacheDir: join(workDir, 'cache') },
    );
    await vitest.close();
    // The inner run fails on purpose; that must not fail this one.
    process.exitCode = exitCode;
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  test('writes report.json and report.md and exposes the report', async () => {
    const written = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as Report;
    expect(written).toEqual(reporter.report);
    expect(await readFile(join(outDir, 'report.md'), 'utf8')).toContain('# OpenAI compatibility report');
  });

  test('fills the matrix from the attached results', () => {
    const report = reporter.report!;
    expect(report.matrix.chat).toEqual({ ref: 'pass' });
    expect(report.matrix.tools).toEqual({ ref: 'partial' });
    expect(report.matrix.vision).toEqual({ ref: 'error' });
    expect(report.matrix.models).toEqual({ ref: 'untested' });
    expect(report.matrixByModel.tools).toEqual({ 'ref/m1': 'partial' });
    expect(report.cells.find((c) => c.feature === 'chat' && c.model === undefined)?.warnings).toBe(1);
    expect(report.summary.exitCode).toBe(1);
  });

  test('a test that crashed before attaching results becomes one harness error', () => {
    const vision = reporter.report!.results.filter((r) => r.feature === 'vision');
    expect(vision).toEqual([
      expect.objectContaining({
        target: 'ref',
        model: 'm1',
        case: 'vision-url',
        transport: 'blocking',
        check: 'harness',
        level: 'wire',
        severity: 'must',
        status: 'error',
        message: 'Test crashed before attaching results: Error: socket hang up',
      }),
    ]);
  });

  test('a test that attached results and then failed keeps its own results', () => {
    const args = reporter.report!.results.filter((r) => r.case === 'tools-args');
    expect(args.map((r) => [r.check, r.status])).toEqual([['semantic.tool-args', 'fail']]);
  });

  test('prints the matrix, notes for what fits no cell, and the report path', () => {
    expect(printed).toMatch(/^chat +pass \(1 warn\)$/m);
    expect(printed).toMatch(/^tools +partial$/m);
    expect(printed).toContain('Note: helper without case failed outside any case: Error: helper broke');
    expect(printed).toContain('Note: unhandled error: stray rejection');
    expect(printed).toContain(`Report written to ${join(outDir, 'report.json')}\n`);
    expect(printed).not.toContain('\x1b[');
  });
});
