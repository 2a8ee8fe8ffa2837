import { ConfigError } from '../core/errors.js';
import { headerRecord, type CapturedExchange } from './captured.js';

/** One entry of an undici SnapshotAgent cassette, the format `run --mode record` writes. */
interface CassetteEntry {
  snapshot: {
    request: { method: string; url: string; headers?: Record<string, string | string[]>; body?: string };
    responses: { statusCode: number; headers?: Record<string, string | string[]>; body?: string }[];
    timestamp?: string;
  };
}

/** Whether a parsed JSON file looks like a cassette of the project's own recordings. */
export function isCassette(doc: unknown): doc is CassetteEntry[] {
  return Array.isArray(doc) && doc.length > 0 && doc.every((e) => e && typeof e === 'object' && 'snapshot' in e);
}

/**
 * The exchanges of a recording: one per recorded response, in order (a polled request has
 * several), numbered as `entry` across the file.
 */
export function readCassette(doc: CassetteEntry[], file: string): CapturedExchange[] {
  const out: CapturedExchange[] = [];
  doc.forEach(({ snapshot }, i) => {
    const { request, responses } = snapshot;
    if (!request || typeof request.url !== 'string' || !URL.canParse(request.url) || !Array.isArray(responses)) {
      throw new ConfigError(`Failed to read recording ${file}: entry ${i} has no snapshot.request.url or snapshot.responses. Record it again with --mode record.`);
    }
    for (const response of responses) {
      out.push({
        source: { file, entry: out.length },
        request: {
          method: request.method.toUpperCase(),
          url: request.url,
          headers: headerRecord(Object.entries(request.headers ?? {})),
          ...(request.body ? { body: request.body } : {}),
        },
        response: {
          status: response.statusCode,
          headers: headerRecord(Object.entries(response.headers ?? {})),
          body: Buffer.from(response.body ?? '', 'base64').toString('utf8'),
        },
        ...(snapshot.timestamp ? { startedAt: snapshot.timestamp } : {}),
        durationMs: 0,
      });
    }
  });
  return out;
}
