import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';

/** The message of the configuration error `env` must cause (fails the test when it loads). */
export function configRefusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('config_invalid');
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}
