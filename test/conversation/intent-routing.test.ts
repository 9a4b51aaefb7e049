/**
 * Routing free text from the NLU's answer (issue 14): a clarifying question offers ticket status
 * and "something else" (out of scope) when those rank among the likely intents.
 */
import { describe, expect, it } from 'vitest';
import { LIKELY, recognisesNothing, route, type Understanding } from '../../src/conversation/intent-routing.js';

const unsure = (ranking: [string, number][]): Understanding => ({
  intent: ranking[0]![0],
  confidence: ranking[0]![1],
  ranking: ranking.map(([intent, confidence]) => ({ intent, confidence })),
  slots: {},
  locale: 'ja',
});

describe('the clarifying question', () => {
  it('offers "something else" when out of scope is likely', () => {
    expect(route(unsure([['sms_not_received', 0.42], ['call_not_received', 0.27], ['out_of_scope', 0.2]]), 0.6)).toEqual({
      kind: 'clarify',
      topics: ['smsNotReceived', 'callNotReceived'],
      outOfScope: true,
    });
  });

  it('offers it first-ranked too, beside the topics', () => {
    expect(route(unsure([['out_of_scope', 0.42], ['sms_not_received', 0.2], ['call_not_received', 0.15]]), 0.6)).toEqual({
      kind: 'clarify',
      topics: ['smsNotReceived', 'callNotReceived'],
      outOfScope: true,
    });
  });

  it('does not offer it when out of scope is unlikely', () => {
    expect(route(unsure([['phone_lost', 0.5], ['phone_replacement', 0.34], ['out_of_scope', LIKELY - 0.01]]), 0.6)).toEqual({
      kind: 'clarify',
      topics: ['phoneLostOrBroken', 'phoneReplacement'],
    });
  });

  it('offers status and something else together', () => {
    expect(route(unsure([['ticket_status', 0.4], ['out_of_scope', 0.3], ['sms_not_received', 0.2]]), 0.6)).toEqual({
      kind: 'clarify',
      topics: ['smsNotReceived'],
      status: true,
      outOfScope: true,
    });
  });

  it('answers out of scope directly when nothing else is likely', () => {
    expect(route(unsure([['out_of_scope', 0.45], ['greeting', 0.05]]), 0.6)).toEqual({ kind: 'outOfScope' });
  });
});

describe('nothing recognised (issue 14)', () => {
  it('is out of scope first, nothing else even likely, and letters typed', () => {
    expect(recognisesNothing('asdfgh', unsure([['out_of_scope', 0.25], ['phone_lost', 0.04], ['thanks', 0.03]]))).toBe(true);
    expect(recognisesNothing('えっと', unsure([['out_of_scope', 0.17], ['ticket_status', LIKELY], ['greeting', 0.1]]))).toBe(false);
    expect(recognisesNothing('スマホ', unsure([['phone_lost', 0.4], ['out_of_scope', 0.2]]))).toBe(false);
    // A number or a symbol is no message about anything ("11" at a menu of ten).
    expect(recognisesNothing('11', unsure([['out_of_scope', 0.25]]))).toBe(false);
  });
});

describe('a second problem (issue 14)', () => {
  const joined = (ranking: [string, number][]): Understanding => ({ ...unsure(ranking), joined: true });

  it('is offered after the main one', () => {
    expect(route(joined([['app_deleted', 0.8], ['lockout', 0.15], ['phone_lost', 0.01]]), 0.6)).toMatchObject({ kind: 'jump', topic: 'appDeleted', also: 'lockout' });
  });

  it('is never the rejected code of a lockout story: the lockout came from it', () => {
    const routing = route(joined([['lockout', 0.81], ['code_rejected', 0.13], ['app_deleted', 0.01]]), 0.6);
    expect(routing).toEqual({ kind: 'jump', topic: 'lockout', slots: {} });
  });

  it('a lockout story told from the rejected code is the lockout, with nothing offered afterwards', () => {
    const routing = route(joined([['code_rejected', 0.62], ['lockout', 0.3], ['app_deleted', 0.01]]), 0.6);
    expect(routing).toEqual({ kind: 'jump', topic: 'lockout', slots: {} });
  });
});
