/**
 * A problem with what the user gave us (a fixture, target, expectations file or flag).
 * The CLI prints `message` and exits with code 2; the message names the file, the field
 * and the fix ("Failed to <action>: <reason>. <fix>").
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Renders any thrown value as one line, for results and logs. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error && cause.message && !error.message.includes(cause.message) ? ` (${cause.message})` : '';
    return `${error.message}${causeText}`;
  }
  return String(error);
}
