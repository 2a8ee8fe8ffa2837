import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './support/cli.js';
import { FIXTURES, ROOT } from './support/env.js';

/**
 * Bad input of every kind the suite reads: exit 2, a message naming the file (as the user gave
 * it) and the field, no stack trace, no hang. Each row builds its input in a temp folder.
 */
let tmp: string;
let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-bad-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await new Promise((resolve) => busy.close(resolve));
});

const at = (name: string) => path.join(tmp, name);
const openaiTarget = () => readFileSync(path.join(ROOT, 'targets', 'openai.yaml'), 'utf8');
const geminiTarget = () => readFileSync(path.join(ROOT, 'targets', 'gemini.yaml'), 'utf8');
/** A copy of the fixtures with one file edited. */
function fixturesWith(name: string, file: string, edit: (text: string) => string): string {
  const dir = at(name);
  cpSync(FIXTURES, dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}
const expectationsFile = (name: string, body: string) => {
  writeFileSync(at(name), `target: gemini\nexpectations:\n${body}`);
  return at(name);
};
const isRoot = process.getuid?.() === 0;

interface Row {
  name: string;
  args: () => string[];
  message: string | RegExp;
  skip?: string;
}

const ROWS: Row[] = [
  { name: 'a target that is a folder', args: () => (mkdirSync(at('dir.yaml')), ['run', '--target', at('dir.yaml')]), message: /dir\.yaml: it is a folder, not a file/ },
  { name: 'a target that is a symlink loop', args: () => (symlinkSync(at('loop.yaml'), at('loop.yaml')), ['run', '--target', at('loop.yaml')]), message: /loop\.yaml: it is a symbolic link loop/ },
  { name: 'a target that is a dangling link', args: () => (symlinkSync(at('nowhere'), at('dangling.yaml')), ['run', '--target', at('dangling.yaml')]), message: /dangling\.yaml: it is a symbolic link to nothing/ },
  { name: 'a target that is a FIFO', args: () => (execFileSync('mkfifo', [at('fifo.yaml')]), ['run', '--target', at('fifo.yaml')]), message: /fifo\.yaml: it is not a regular file/ },
  {
    name: 'an unreadable target',
    args: () => (writeFileSync(at('secret.yaml'), openaiTarget()), chmodSync(at('secret.yaml'), 0o000), ['run', '--target', at('secret.yaml')]),
    message: /secret\.yaml: permission denied/,
    ...(isRoot ? { skip: 'root reads any file, so an unreadable file cannot be made' } : {}),
  },
  { name: 'an undefined YAML alias', args: () => (writeFileSync(at('alias.yaml'), 'id: x\nname: X\nbase_url: *nowhere\n'), ['run', '--target', at('alias.yaml')]), message: /alias\.yaml: invalid YAML: Unresolved alias.*nowhere/ },
  { name: 'an unknown key, named', args: () => (writeFileSync(at('key.yaml'), openaiTarget().replace('docs:', 'dcos:')), ['run', '--target', at('key.yaml')]), message: /key\.yaml.*field \/dcos: .* got unknown field "dcos"/s },
  { name: 'a misspelt claim key', args: () => (writeFileSync(at('claim.yaml'), geminiTarget().replace('  tools: {', '  tool: {')), ['run', '--target', at('claim.yaml')]), message: /claim\.yaml.*field \/claims\/tool: expected a known name/s },
  { name: 'an unknown auth style', args: () => (writeFileSync(at('auth.yaml'), openaiTarget().replace('env: OPENAI_API_KEY', 'env: OPENAI_API_KEY\n  style: basic')), ['run', '--target', at('auth.yaml')]), message: /auth\.yaml.*field \/auth\/style/s },
  {
    name: 'a template naming an unknown model role',
    args: () => ['run', '--fixtures', fixturesWith('fx-role', 'tools/function-calling.yaml', (t) => t.replace('"{{steps.call.response.choices.0.message}}"', '"{{model.bogus}}"')), '--features', 'tools'],
    message: /fx-role\/tools\/function-calling\.yaml, case "tools-round-trip".*template \{\{model\.bogus\}\} names unknown model role "bogus"/s,
  },
  {
    name: 'an unclosed template',
    args: () => ['run', '--fixtures', fixturesWith('fx-open', 'tools/function-calling.yaml', (t) => t.replace('"{{steps.call.response.choices.0.message}}"', '"{{steps.call.response.choices.0.message"')), '--features', 'tools'],
    message: /fx-open\/tools\/function-calling\.yaml, case "tools-round-trip".*opens or closes no template/s,
  },
  {
    name: 'a check parameter of the wrong type',
    args: () => ['run', '--fixtures', fixturesWith('fx-param', 'tools/function-calling.yaml', (t) => t.replace('params: { in: [tool_calls] }', 'params: { in: tool_calls }')), '--features', 'tools'],
    message: /fx-param\/tools\/function-calling\.yaml.*\(case "tools-get-weather-auto"\)\/steps\/0\/checks\/1\/params\/in: expected array, got "tool_calls"/s,
  },
  { name: 'a fixture folder without features.yaml', args: () => (mkdirSync(at('empty-fixtures')), ['run', '--fixtures', at('empty-fixtures')]), message: /--fixtures: .*empty-fixtures has no features\.yaml/ },
  {
    name: 'a fixture folder that selects no case',
    args: () => {
      const dir = at('no-cases');
      mkdirSync(dir);
      cpSync(path.join(FIXTURES, 'features.yaml'), path.join(dir, 'features.yaml'));
      return ['run', '--fixtures', dir];
    },
    message: /Nothing to run: the selection selects no case in --fixtures .*no-cases/,
  },
  {
    name: 'a misspelt expectation step',
    args: () => ['run', '--target', 'gemini', '--mode', 'replay', '--expectations', expectationsFile('step.yaml', '  - { case: errors-bad-api-key, step: askk, expected: [fail], link: "https://x.dev" }\n')],
    message: /step\.yaml: field \/expectations\/0\/step names unknown step "askk" of case errors-bad-api-key; its steps: ask/,
  },
  {
    name: 'a misspelt expectation key',
    args: () => ['run', '--target', 'gemini', '--mode', 'replay', '--expectations', expectationsFile('stpe.yaml', '  - { case: errors-bad-api-key, stpe: ask, expected: [fail], link: "https://x.dev" }\n')],
    message: /stpe\.yaml.*\/expectations\/0\/stpe: .*unknown field "stpe"/s,
  },
  {
    name: 'duplicate expectation entries',
    args: () => [
      'run', '--target', 'gemini', '--mode', 'replay', '--expectations',
      expectationsFile('dup.yaml', '  - { case: errors-bad-api-key, expected: [fail], link: "https://x.dev/1" }\n  - { case: errors-bad-api-key, expected: [pass], link: "https://x.dev/2" }\n'),
    ],
    message: /dup\.yaml: \/expectations\/1 matches the same results as \/expectations\/0/,
  },
  { name: '--models with two =', args: () => ['run', '--models', 'chat=a=b'], message: '--models: "chat=a=b" is not role=name' },
  { name: 'a repeated flag', args: () => ['run', '--features', 'chat', '--features', 'tools'], message: '--features is given more than once' },
  { name: '--timeout 0', args: () => ['run', '--timeout', '0'], message: '--timeout: expected a whole number from 1 to 3600000, got "0"' },
  { name: '--timeout too large', args: () => ['run', '--timeout', '99999999999'], message: '--timeout: expected a whole number from 1 to 3600000' },
  { name: '--timeout not a number', args: () => ['run', '--timeout', '10s'], message: '--timeout: expected a whole number' },
  { name: '--max-requests 0', args: () => ['run', '--max-requests', '0'], message: '--max-requests: expected a positive whole number, got "0"' },
  { name: 'a base URL that is not a URL', args: () => ['run', '--base-url', 'localhost:8080/v1'], message: '--base-url: "localhost:8080/v1" is not an http(s) URL' },
  { name: 'a target base URL per family that is not a URL', args: () => (writeFileSync(at('family.yaml'), `${openaiTarget()}base_urls:\n  embeddings: ftp://x\n`), ['run', '--target', at('family.yaml')]), message: /family\.yaml.*field \/base_urls\/embeddings/s },
  { name: '--out that is a file', args: () => (writeFileSync(at('out-file'), ''), ['run', '--out', at('out-file')]), message: /--out: .*out-file is a file, not a folder/ },
  { name: '--recordings that is a file, in record mode', args: () => (writeFileSync(at('rec-file'), ''), ['run', '--mode', 'record', '--recordings', at('rec-file')]), message: /--recordings: .*rec-file is a file, not a folder/ },
  {
    name: '--out that cannot be written (under /proc)',
    args: () => ['run', '--out', '/proc/oai-compat/report'],
    message: '--out: cannot write to /proc/oai-compat/report',
    ...(existsSync('/proc/self') ? {} : { skip: 'no /proc on this system' }),
  },
  { name: 'serve on a busy port', args: () => ['serve', '--port', String(busyPort)], message: /--port: 127\.0\.0\.1:\d+ is already in use/ },
  { name: 'serve on an address it cannot bind', args: () => ['serve', '--host', '192.0.2.1', '--port', '0'], message: /cannot listen on 192\.0\.2\.1:0 \(EADDRNOTAVAIL\)/ },
  { name: 'serve on a port out of range', args: () => ['serve', '--port', '70000'], message: '--port: expected a port number 0-65535, got "70000"' },
];

describe('bad input: exit 2, the file and field named, no stack trace, no hang', () => {
  test.for(ROWS)('$name', { timeout: 30_000 }, async (row, ctx) => {
    if (row.skip) return ctx.skip(row.skip);
    const run = await cli(row.args(), { OPENAI_API_KEY: 'sk-test-not-used', GEMINI_API_KEY: '' });
    expect(run.code, run.stderr).toBe(2);
    if (typeof row.message === 'string') expect(run.stderr).toContain(row.message);
    else expect(run.stderr).toMatch(row.message);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.stderr).not.toMatch(/node:internal|DESIGN\.md|shared\/|oai-compat-replay-/);
  });
});
