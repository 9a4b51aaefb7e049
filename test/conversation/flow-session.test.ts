/**
 * FlowSession runs a machine's transitions without starting an actor (src/conversation/flow-session.ts):
 * what the flows use behaves as in an actor, and what would need a running actor fails the turn
 * loudly (a broken flow, restarted politely) instead of being dropped without a trace.
 */
import { assign, emit, log, sendTo, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FlowBrokenError, FlowSession, type FlowDefinition } from '../../src/conversation/flow-session.js';

const machine = setup({}).createMachine({
  initial: 'asking',
  context: { count: 0 },
  states: {
    asking: {
      meta: { step: true },
      on: {
        more: { actions: assign({ count: ({ context }) => context.count + 1 }) },
        next: 'passing',
        logged: { actions: log('no actor to log with') },
        emitted: { actions: emit({ type: 'noticed' }) },
        sent: { actions: sendTo('nobody', { type: 'hello' }) },
      },
    },
    passing: { always: 'done' },
    done: { type: 'final' },
  },
});
const flow: FlowDefinition = { name: 'test', version: 1, machine: machine as FlowDefinition['machine'] };

describe('FlowSession', () => {
  it('applies assign, eventless transitions and final states, and persists what it restores', () => {
    const session = FlowSession.start(flow);
    expect(session.send({ type: 'more' })).toBe(true);
    expect(session.send({ type: 'more' })).toBe(true);
    expect(session.context).toEqual({ count: 2 });
    const restored = FlowSession.restore(flow, JSON.parse(JSON.stringify(session.persist())));
    expect(restored.ok && restored.session.context).toEqual({ count: 2 });
    expect(restored.ok && restored.session.send({ type: 'nothing' })).toBe(false);
    expect(restored.ok && restored.session.send({ type: 'next' })).toBe(true);
    expect(restored.ok && restored.session.done).toBe(true);
  });

  it.each(['logged', 'emitted', 'sent'])('an action that needs a running actor (%s) fails as a broken flow', (event) => {
    const session = FlowSession.start(flow);
    expect(() => session.send({ type: event })).toThrow(FlowBrokenError);
  });
});
