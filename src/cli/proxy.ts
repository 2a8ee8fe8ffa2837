import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { toHar } from '../passive/har.js';
import { PassiveSession } from '../passive/session.js';
import { findingLine, renderPassiveSummary } from '../passive/summary.js';
import { startProxy } from '../proxy/server.js';
import { writeReport } from '../report/write.js';
import { shownPath, TOOL } from './paths.js';

function parseOptions(values: Record<string, unknown>) {
  const upstream = values.upstream;
  if (typeof upstream !== 'string' || !/^https?:\/\/[^/]+/.test(upstream) || !URL.canParse(upstream)) {
    throw new ConfigError(`--upstream: ${upstream === undefined ? 'missing' : `"${String(upstream)}" is not an http(s) URL`}. Give the endpoint's base URL, e.g. --upstream https://api.openai.com/v1`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: expected a port number 0-65535, got "${String(values.port)}".`);
  const refreshMs = Number(values['refresh-ms']);
  if (!Number.isInteger(refreshMs) || refreshMs <= 0) throw new ConfigError(`--refresh-ms: expected a positive whole number of milliseconds, got "${String(values['refresh-ms'])}".`);
  return { upstream, port, refreshMs, outDir: path.resolve(String(values.out)), har: typeof values.har === 'string' ? path.resolve(values.har) : undefined };
}

/** startProxy, with a taken port reported as a usage error. */
async function listen(options: Parameters<typeof startProxy>[0]): ReturnType<typeof startProxy> {
  try {
    return await startProxy(options);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new ConfigError(`--port: cannot listen on 127.0.0.1:${options.port} (${code}); pick another port, or 0 for a free one.`);
    throw error;
  }
}

/**
 * `oai-compat proxy --upstream URL`: a validating pass-through for live traffic. Prints a line
 * per finding as it happens; writes the report (and the HAR) every few seconds and on
 * SIGINT/SIGTERM. Exit 1 when a must finding was seen.
 */
export async function proxyCommand(values: Record<string, unknown>): Promise<number> {
  const opts = parseOptions(values);
  const session = new PassiveSession(TOOL, 'live');
  const proxy = await listen({
    upstream: opts.upstream,
    port: opts.port,
    sourceFile: opts.har ? shownPath(opts.har) : 'proxy',
    keepTraffic: opts.har !== undefined,
    onExchange(captured, results, target) {
      session.add(target, results);
      const flagged = results.filter((r) => r.findings && r.findings.length > 0);
      const verdict = results.some((r) => r.status === 'fail' || r.status === 'error') ? 'FAIL' : flagged.length > 0 ? 'warn' : results.every((r) => r.status === 'skip') ? 'not judged' : 'ok';
      const req = captured.request!;
      process.stdout.write(`${verdict} ${req.method} ${new URL(req.url).pathname} ${captured.response?.status ?? captured.transportError ?? ''} [${results[0]?.transport ?? 'blocking'}] ${captured.durationMs} ms\n`);
      for (const r of results) {
        if (r.status === 'error') process.stdout.write(`    ERROR ${r.check}: ${r.message}\n`);
        for (const f of r.findings ?? []) process.stdout.write(`    ${findingLine(r, f)}\n`);
      }
    },
  });
  const save = async () => {
    const report = session.report();
    const written = await writeReport(report, opts.outDir);
    if (opts.har) await writeFile(opts.har, toHar(proxy.captured, TOOL, [...proxy.secrets]));
    return { report, written };
  };
  process.stderr.write(
    `oai-compat proxy ${TOOL.version}: ${proxy.url} -> ${opts.upstream}\n` +
      `Point your client's base URL at ${proxy.url} (paths are appended to the upstream URL). Report: ${opts.outDir}${opts.har ? `, HAR: ${opts.har}` : ''}. Ctrl-C to stop.\n`,
  );
  let saving = Promise.resolve();
  const timer = setInterval(() => {
    saving = saving.then(() => save().then(() => undefined)).catch((error: unknown) => void process.stderr.write(`oai-compat proxy: could not write the report: ${String(error)}\n`));
  }, opts.refreshMs);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await proxy.close();
  await saving;
  const { report, written } = await save();
  process.stdout.write(`\n${renderPassiveSummary(report, shownPath(written.markdown))}`);
  return report.summary.exitCode;
}
