import { ConfigError } from '../core/errors.js';
import { startReferenceServer } from '../server/index.js';


/** Runs the reference server in the foreground until SIGINT/SIGTERM. */
export async function serveCommand(values: Record<string, unknown>): Promise<number> {
  const port = Number(values.port);
  if (!/^\d+$/.test(String(values.port)) || port > 65535) throw new ConfigError(`--port: expected a port number 0-65535, got "${String(values.port)}".`);
  const faults = typeof values.fault === 'string' ? values.fault.split(',').map((f) => f.trim()).filter(Boolean) : [];
  let server;
  try {
    server = await startReferenceServer({ port, host: String(values.host), profile: String(values.profile), faults });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    if (/fault|profile/i.test(message)) throw new ConfigError(message);
    const where = `${String(values.host)}:${port}`;
    if (code === 'EADDRINUSE') throw new ConfigError(`--port: ${where} is already in use. Pick another port, or --port 0 for a free one.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EACCES' || code === 'EINVAL') {
      throw new ConfigError(`--host/--port: cannot listen on ${where} (${code}). Use an address of this machine, e.g. --host 127.0.0.1${code === 'EACCES' ? ', and a port above 1023' : ''}.`);
    }
    throw error;
  }
  process.stdout.write(
    `oai-compat reference server listening on ${server.baseUrl} (profile ${String(values.profile)}, faults: ${faults.join(', ') || 'none'})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
