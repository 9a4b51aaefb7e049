import { AppError } from '../../src/errors.js';

/** The AppError code a promise rejects with; undefined when it resolves (so a test sees what was refused, and how). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-an-AppError';
  }
}
