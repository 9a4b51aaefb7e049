/** ABANDON_AFTER_MINUTES: the reports' abandonment time, from the environment through zod. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('ABANDON_AFTER_MINUTES', () => {
  it('defaults to 30 minutes and takes a whole number of minutes', () => {
    expect(loadConfig({}).abandonAfterMinutes).toBe(30);
    expect(loadConfig({ ABANDON_AFTER_MINUTES: '90' }).abandonAfterMinutes).toBe(90);
  });

  it.each(['0', '-5', '1.5', 'soon', String(7 * 24 * 60 + 1)])('refuses %s, naming the key', (value) => {
    expect(() => loadConfig({ ABANDON_AFTER_MINUTES: value })).toThrow(/ABANDON_AFTER_MINUTES/);
  });
});
