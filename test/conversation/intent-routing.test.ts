/**
 * Routing free text from the NLU's answer (issue 14): a clarifying question offers ticket status
 * and "something else" (out of scope) when those rank among the likely intents.
 */
import { describe, expect, it } from 'vitest';
import { LIKELY, route, type Understanding } from '../../src/conversation/intent-routing.js';

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
