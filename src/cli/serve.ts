import { ConfigError } from '../core/errors.js';
import { startReferenceServer } from '../server/index.js';


/** Runs the reference server in the foreground until SIGINT/SIGTERM. */
export async function serveCommand(values: Record<string, unknown>): Promise<number> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: expected a port number 0-65535, got "${String(values.port)}".`);
  const faults = typeof values.fault === 'string' ? values.fault.split(',').map((f) => f.trim()).filter(Boolean) : [];
  let server;
  try {
    server = await startReferenceServer({ port, host: String(values.host), profile: String(values.profile), faults });
  } catch (error) {
    const message = (error as Error).message;
    if (/fault|profile/i.test(message)) throw new ConfigError(message);
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
