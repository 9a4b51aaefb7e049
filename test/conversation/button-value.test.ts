/**
 * parseButtonValue reads an answer button without the schema and remembers what it read per
 * value object (issue 16): it must still answer exactly as the schema does, for real presses and
 * for forgeries.
 */
import { describe, expect, it } from 'vitest';
import { ButtonValueSchema, parseButtonValue } from '../../src/conversation/button-value.js';

const VALUES: unknown[] = [
  { t: 'answer', step: 'mainMenu', event: 'topic.smsNotReceived' },
  { t: 'answer', step: 'mainMenu', event: 'topic.smsNotReceived', note: 'pw=Kitsune!55' },
  { t: 'answer', step: 'x'.repeat(200), event: 'y'.repeat(100) },
  { t: 'answer', step: 'x'.repeat(201), event: 'answer.yes' },
  { t: 'answer', step: 'mainMenu', event: 'y'.repeat(101) },
  { t: 'answer', step: 7, event: 'answer.yes' },
  { t: 'answer', step: 'mainMenu' },
  { t: 'answer' },
  Object.assign(['mainMenu'], { t: 'answer', step: 'mainMenu', event: 'answer.yes' }),
  { t: 'command', command: 'restart' },
  { t: 'command', command: 'language', lang: 'en' },
  { t: 'command', command: 'shutdown' },
  { t: 'jump', topic: 'lockout' },
  { t: 'rate', about: 'ticket', value: 5 },
  { t: 'rate', about: 'ticket', value: 6 },
  { email: 'hana@example.com' },
  null,
  'answer',
  42,
  undefined,
];

describe('parseButtonValue', () => {
  it('answers as the schema does, for presses and forgeries alike', () => {
    for (const value of VALUES) expect(parseButtonValue(value), JSON.stringify(value)).toEqual(ButtonValueSchema.safeParse(value).data);
  });

  it('gives the same answer, frozen, when a turn asks again about the same value', () => {
    for (const value of VALUES) parseButtonValue(value);
    // Asked again: answered from memory, still as the schema answers.
    for (const value of VALUES) expect(parseButtonValue(value), JSON.stringify(value)).toEqual(ButtonValueSchema.safeParse(value).data);
    for (const value of VALUES) {
      const parsed = parseButtonValue(value);
      if (parsed) expect(Object.isFrozen(parsed)).toBe(true);
    }
    const press = { t: 'answer', step: 'mainMenu', event: 'topic.lockout', extra: 1 };
    expect(parseButtonValue(press)).toEqual({ t: 'answer', step: 'mainMenu', event: 'topic.lockout' });
    expect(parseButtonValue(press)).toBe(parseButtonValue(press));
  });
});
