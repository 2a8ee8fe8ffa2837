/**
 * Bytes → lines, the first layer of the SSE decoder (like openai-node's LineDecoder).
 */
import { StringDecoder } from 'node:string_decoder';

/** An incremental line splitter; one instance per stream. */
export interface LineDecoder {
  /**
   * Takes the next chunk of the body and returns the lines it completed, without their line
   * endings. A line may be held back until a later chunk: one with no line ending yet, and one
   * ending in a CR (the next chunk may start with the LF of a CRLF).
   */
  feed(chunk: Uint8Array | string): string[];
  /**
   * Ends the stream: returns the held-back line, if any (a final CR counts as its line ending;
   * text after the last line ending is returned as the last line all the same). Incomplete
   * UTF-8 bytes left at the end become U+FFFD.
   */
  flush(): string[];
}

const LF = 0x0a;

/**
 * Creates a line decoder for an SSE body, following the WHATWG rules: a line ends at CRLF, at a
 * lone LF or at a lone CR, whatever the chunk boundaries. Bytes are decoded as UTF-8 with
 * multi-byte characters split across chunks reassembled; invalid bytes become U+FFFD (never an
 * exception). A string chunk following bytes that ended in an incomplete character turns those
 * bytes into U+FFFD. One UTF-8 byte order mark at the very start of the stream is dropped, as
 * the spec requires.
 */
export function createLineDecoder(): LineDecoder {
  // StringDecoder (not TextDecoder, which is slower on large chunks) holds back a character split
  // across chunks and keeps a byte order mark as U+FEFF; `split` drops the first one.
  const utf8 = new StringDecoder('utf8');
  let buffer = '';
  /** How much of `buffer` is known to hold no line ending (a held-back final CR excluded). */
  let scanned = 0;
  let started = false;

  function split(text: string): string[] {
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    buffer += text;
    const lines: string[] = [];
    let start = 0;
    let i = scanned;
    // indexOf finds the line endings far faster than a loop over every character; the next CR is
    // looked up again only once passed (bodies with none pay for one search).
    let lf = buffer.indexOf('\n', i);
    let cr = buffer.indexOf('\r', i);
    for (;;) {
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        lines.push(buffer.slice(start, lf));
        start = lf + 1;
        lf = buffer.indexOf('\n', start);
      } else if (cr !== -1) {
        if (cr + 1 === buffer.length) {
          i = cr; // the LF of a CRLF may come in the next chunk
          break;
        }
        lines.push(buffer.slice(start, cr));
        start = buffer.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        if (lf !== -1 && lf < start) lf = buffer.indexOf('\n', start);
        cr = buffer.indexOf('\r', start);
      } else {
        i = buffer.length;
        break;
      }
    }
    buffer = buffer.slice(start);
    scanned = i - start;
    return lines;
  }

  return {
    feed(chunk) {
      return split(typeof chunk === 'string' ? utf8.end() + chunk : utf8.write(chunk as Buffer));
    },
    flush() {
      const lines = split(utf8.end());
      if (buffer.length > 0) lines.push(buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer);
      buffer = '';
      scanned = 0;
      started = false;
      return lines;
    },
  };
}
