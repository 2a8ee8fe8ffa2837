import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * --max-requests: how many requests a run may send, shared by every test worker. Each request
 * claims a numbered slot (an exclusive mkdir in a folder the CLI owns), so the count holds
 * across processes without a coordinator.
 */
/** How the result of a request --max-requests kept from being sent starts. */
export const NOT_SENT = 'not run: --max-requests';

export class RequestBudget {
  private next = 0;

  constructor(
    private readonly dir: string,
    readonly max: number,
  ) {}

  /** Claims one request; false once `max` requests went out. */
  take(): boolean {
    while (this.next < this.max) {
      try {
        mkdirSync(path.join(this.dir, String(this.next++)));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return false;
  }
}

/** Thrown instead of sending a request once the budget is spent. */
export class BudgetSpentError extends Error {
  override name = 'BudgetSpentError';
  constructor(readonly max: number) {
    super(`not sent: --max-requests ${max} reached`);
  }
}

/** Whether an error (or what it wraps, as the SDK does) is a spent budget. */
export function isBudgetSpent(error: unknown): error is { message: string } {
  for (let e = error; e instanceof Error; e = (e as { cause?: unknown }).cause) if (e instanceof BudgetSpentError) return true;
  return false;
}
