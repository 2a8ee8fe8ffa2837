import type { CapturedExchange } from './captured.js';

/**
 * A batch output (or error) file: one captured answer per non-empty line, judged as a line of
 * `files.content`. There is no request: the lines answer requests of another file.
 */
export function readBatchOutput(text: string, file: string): CapturedExchange[] {
  return text.split('\n').flatMap((line, i): CapturedExchange[] => {
    if (!line.trim()) return [];
    // The line keeps its place (blank lines before it), so findings name its line in the file.
    const body = `${'\n'.repeat(i)}${line}\n`;
    return [{ source: { file, line: i + 1 }, operation: 'files.content', response: { status: 200, headers: { 'content-type': 'application/jsonl' }, body }, durationMs: 0 }];
  });
}
