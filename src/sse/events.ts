/**
 * Lines → SSE events, following the WHATWG "interpret an event stream" rules, for checking an
 * endpoint: anything a strict parser would stumble on is reported as an {@link SseProblem} and
 * decoding goes on (nothing here throws on bad input).
 */
import { createLineDecoder } from './lines.js';

/** One dispatched event (a block of lines with at least one `data` field, ended by a blank line). */
export interface SseEvent {
  /** 0-based position among the events of the stream. */
  index: number;
  /** The last `event` field of the block; absent when none was given or it was empty (type "message"). */
  event?: string;
  /** The last `id` field of the block; unlike the spec's last-event-id buffer, it does not carry over. */
  id?: string;
  /** The `data` fields' values joined with `\n`. */
  data: string;
  /** The exact lines of the block, comments and unknown fields included, without the blank line ending it. */
  raw: string[];
  /** 1-based line number where the block started. */
  line: number;
}

export type SseProblemKind =
  /** A field other than `data`, `event`, `id`, `retry` (case-sensitive); clients ignore the line. */
  | 'unknown-field'
  /** The stream ended without the blank line after the last event; clients drop that event. */
  | 'unterminated-event'
  /** A `retry` value that is not all ASCII digits; clients ignore it. */
  | 'invalid-retry'
  /** A `:` comment line: legal SSE, but it breaks naive parsers, so reported for the checks to weigh. */
  | 'comment';

export interface SseProblem {
  kind: SseProblemKind;
  /** 1-based line number (for `unterminated-event`: where the event started). */
  line: number;
  /** The offending line (for `unterminated-event`: the event's lines joined with `\n`). */
  raw: string;
  message: string;
}

/** An incremental event decoder; one instance per stream, not to be fed after `end()`. */
export interface SseDecoder {
  /** Takes the next chunk of the body and returns the events whose blank line it completed. */
  feed(chunk: Uint8Array | string): SseEvent[];
  /**
   * Ends the stream. `events`: the events completed only now (a held-back last line); `problems`:
   * every problem of the whole stream, in the order found (`unterminated-event` last).
   */
  end(): { events: SseEvent[]; problems: SseProblem[] };
}

/** Quotes a field name for a message, shortened: without a colon the whole line is the name. */
function quote(field: string): string {
  return JSON.stringify(field.length > 40 ? `${field.slice(0, 40)}…` : field);
}

/**
 * Creates an SSE decoder. Per the spec: a line starting with `:` is a comment; otherwise the field
 * name is the text before the first colon (the whole line when there is none, the value then
 * being empty) and one space after the colon is stripped from the value. A blank line dispatches
 * the block if it had `data`; a block without `data` (comments only, `event` only) dispatches
 * nothing. An `id` containing U+0000 is ignored, as the spec says.
 */
export function createSseDecoder(): SseDecoder {
  const lines = createLineDecoder();
  const problems: SseProblem[] = [];
  let lineNo = 0;
  let index = 0;
  let raw: string[] = [];
  let start = 0;
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;

  function report(kind: SseProblemKind, line: number, text: string, message: string): void {
    problems.push({ kind, line, raw: text, message });
  }

  function take(line: string, out: SseEvent[]): void {
    lineNo++;
    if (line === '') {
      if (data.length > 0) {
        const ev: SseEvent = { index: index++, data: data.length === 1 ? data[0]! : data.join('\n'), raw, line: start };
        if (event) ev.event = event;
        if (id !== undefined) ev.id = id;
        out.push(ev);
      }
      raw = [];
      data = [];
      event = undefined;
      id = undefined;
      return;
    }
    if (raw.length === 0) start = lineNo;
    raw.push(line);
    if (line.startsWith(':')) {
      report('comment', lineNo, line, 'comment line: legal SSE, but parsers expecting only field lines may fail on it');
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        event = value;
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (!/^[0-9]+$/.test(value)) {
          const message = `retry value ${JSON.stringify(value)} is not all ASCII digits; clients ignore it`;
          report('invalid-retry', lineNo, line, message);
        }
        break;
      default:
        report('unknown-field', lineNo, line, `unknown field ${quote(field)}; clients ignore the line`);
    }
  }

  return {
    feed(chunk) {
      const out: SseEvent[] = [];
      for (const line of lines.feed(chunk)) take(line, out);
      return out;
    },
    end() {
      const events: SseEvent[] = [];
      for (const line of lines.flush()) take(line, events);
      if (data.length > 0) {
        report(
          'unterminated-event',
          start,
          raw.join('\n'),
          'stream ended without the blank line that dispatches this event; clients drop it',
        );
      }
      return { events, problems };
    },
  };
}

/** Decodes a whole SSE body at once: every event and every problem. Never throws. */
export function decodeSse(body: string | Uint8Array): { events: SseEvent[]; problems: SseProblem[] } {
  const decoder = createSseDecoder();
  const events = decoder.feed(body);
  const rest = decoder.end();
  return { events: [...events, ...rest.events], problems: rest.problems };
}
