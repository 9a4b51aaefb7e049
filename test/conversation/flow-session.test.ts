/**
 * FlowSession runs a machine's transitions without starting an actor (src/conversation/flow-session.ts):
 * what the flows use behaves as in an actor, and what would need a running actor fails the turn
 * loudly (a broken flow, restarted politely) instead of being dropped without a trace.
 */
import { assign, emit, log, sendTo, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FlowBrokenError, FlowSession, SHARED_SNAPSHOTS, SharedSnapshots, type FlowDefinition } from '../../src/conversation/flow-session.js';

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

  describe('with shared snapshots (a flow whose context holds nothing of the customer)', () => {
    const sharedMachine = setup({}).createMachine({
      initial: 'asking',
      context: { count: 0, trail: [] as string[] },
      states: {
        asking: {
          meta: { step: true },
          on: { more: { actions: assign({ count: ({ context }) => context.count + 1, trail: ({ context }) => [...context.trail, 'asking'] }) }, next: 'done' },
        },
        done: { type: 'final' },
      },
    });
    const shared: FlowDefinition = { name: 'shared', version: 1, machine: sharedMachine as FlowDefinition['machine'], sharedSnapshots: true };
    const persisted = (session: FlowSession) => JSON.parse(JSON.stringify(session.persist())) as ReturnType<FlowSession['persist']>;

    it('two conversations at the same point share one restored snapshot, and each goes on by itself', () => {
      const first = FlowSession.start(shared);
      first.send({ type: 'more' });
      const saved = persisted(first);
      const a = FlowSession.restore(shared, saved);
      const b = FlowSession.restore(shared, persisted(first));
      if (!a.ok || !b.ok) throw new Error('not restored');
      expect(a.session.snapshot).toBe(b.session.snapshot);
      a.session.send({ type: 'more' });
      expect(a.session.context).toEqual({ count: 2, trail: ['asking', 'asking'] });
      expect(b.session.context).toEqual({ count: 1, trail: ['asking'] });
      b.session.send({ type: 'next' });
      expect([a.session.done, b.session.done]).toEqual([false, true]);
      // What a third conversation at that point restores is still the untouched one.
      const c = FlowSession.restore(shared, persisted(first));
      expect(c.ok && c.session.context).toEqual({ count: 1, trail: ['asking'] });
    });

    it('a shared snapshot cannot be written into: its context is frozen', () => {
      const a = FlowSession.restore(shared, persisted(FlowSession.start(shared)));
      if (!a.ok) throw new Error('not restored');
      const context = a.session.context as { count: number; trail: string[] };
      expect(() => {
        context.count = 5;
      }).toThrow(TypeError);
      expect(() => context.trail.push('x')).toThrow(TypeError);
      expect(Object.isFrozen(FlowSession.start(shared).snapshot)).toBe(true);
    });

    it('the first snapshot without input is made once; with input, or for a flow that does not share, every time', () => {
      expect(FlowSession.start(shared).snapshot).toBe(FlowSession.start(shared).snapshot);
      expect(FlowSession.start(shared, { any: 'input' }).snapshot).not.toBe(FlowSession.start(shared).snapshot);
      expect(FlowSession.start(flow).snapshot).not.toBe(FlowSession.start(flow).snapshot);
      const saved = persisted(FlowSession.start(flow));
      const [x, y] = [FlowSession.restore(flow, saved), FlowSession.restore(flow, saved)];
      expect(x.ok && y.ok && x.session.snapshot !== y.session.snapshot).toBe(true);
      expect(Object.isFrozen(FlowSession.start(flow).snapshot)).toBe(false);
    });

    it(`keeps at most ${SHARED_SNAPSHOTS} snapshots per machine, then starts over`, () => {
      const cache = SharedSnapshots.of(sharedMachine as FlowDefinition['machine']);
      const byJson = (cache as unknown as { byJson: Map<string, unknown> }).byJson;
      const base = persisted(FlowSession.start(shared)).snapshot as { context: { count: number } };
      for (let i = 0; i <= SHARED_SNAPSHOTS; i++) {
        const restored = FlowSession.restore(shared, { name: 'shared', version: 1, snapshot: { ...base, context: { ...base.context, count: 1000 + i } } });
        expect(restored.ok).toBe(true);
      }
      expect(byJson.size).toBeLessThanOrEqual(SHARED_SNAPSHOTS);
      expect(byJson.size).toBeGreaterThan(0);
    });
  });
});
