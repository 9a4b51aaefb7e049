/**
 * FlowSession runs a machine's transitions without starting an actor (src/conversation/flow-session.ts):
 * what the flows use behaves as in an actor, and what would need a running actor fails the turn
 * loudly (a broken flow, restarted politely) instead of being dropped without a trace.
 */
import { assign, emit, log, sendTo, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FlowBrokenError, FlowSession, type FlowDefinition, type PersistedFlow } from '../../src/conversation/flow-session.js';
import { troubleshootingFlow } from '../../src/app.js';
import { isStepMeta } from '../../flows/step-meta.js';

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
          initial: 'one',
          states: { one: { on: { deeper: 'two' } }, two: {} },
          on: { more: { actions: assign({ count: ({ context }) => context.count + 1, trail: ({ context }) => [...context.trail, 'asking'] }) }, next: 'done' },
        },
        done: { type: 'final' },
      },
    });
    const shared: FlowDefinition = { name: 'shared', version: 1, machine: sharedMachine as FlowDefinition['machine'], sharedSnapshots: true };
    const persisted = (session: FlowSession) => JSON.parse(JSON.stringify(session.persist())) as ReturnType<FlowSession['persist']>;
    const restoreOk = (definition: FlowDefinition, saved: ReturnType<FlowSession['persist']>) => {
      const r = FlowSession.restore(definition, saved);
      if (!r.ok) throw new Error('not restored');
      return r.session;
    };

    it('conversations at one point share its state nodes, each with its own context, and each goes on by itself', () => {
      const first = FlowSession.start(shared);
      first.send({ type: 'more' });
      const other = FlowSession.start(shared);
      other.send({ type: 'more' });
      other.send({ type: 'more' });
      const a = restoreOk(shared, persisted(first));
      const b = restoreOk(shared, persisted(first));
      const c = restoreOk(shared, persisted(other));
      expect(a.snapshot.value).toBe(c.snapshot.value);
      expect(a.context).not.toBe(b.context);
      expect([a.context, b.context, c.context]).toEqual([
        { count: 1, trail: ['asking'] },
        { count: 1, trail: ['asking'] },
        { count: 2, trail: ['asking', 'asking'] },
      ]);
      a.send({ type: 'more' });
      b.send({ type: 'deeper' });
      c.send({ type: 'next' });
      expect(a.context).toEqual({ count: 2, trail: ['asking', 'asking'] });
      expect([a.snapshot.value, b.snapshot.value, c.done]).toEqual([{ asking: 'one' }, { asking: 'two' }, true]);
      // A point restored after the others moved on is still the untouched one.
      const d = restoreOk(shared, persisted(first));
      expect([d.snapshot.value, d.context]).toEqual([{ asking: 'one' }, { count: 1, trail: ['asking'] }]);
      const e = restoreOk(shared, persisted(b));
      expect(e.snapshot.value).toEqual({ asking: 'two' });
      expect(e.step?.id).toBe(b.step?.id);
    });

    it('what conversations share cannot be written into: the state value and the first snapshot are frozen', () => {
      const saved = persisted(FlowSession.start(shared));
      restoreOk(shared, saved);
      const again = restoreOk(shared, saved);
      expect(() => {
        (again.snapshot.value as Record<string, string>)['asking'] = 'two';
      }).toThrow(TypeError);
      expect(() => {
        (again.persist().snapshot as { value: Record<string, string> }).value['asking'] = 'two';
      }).toThrow(TypeError);
      const start = FlowSession.start(shared);
      expect(Object.isFrozen(start.snapshot)).toBe(true);
      expect(() => (start.context as { trail: string[] }).trail.push('x')).toThrow(TypeError);
      // The restored conversation's own context is its own to have.
      expect(Object.isFrozen(again.context)).toBe(false);
    });

    it('the first snapshot without input is made once; with input, or for a flow that does not share, every time', () => {
      expect(FlowSession.start(shared).snapshot).toBe(FlowSession.start(shared).snapshot);
      expect(FlowSession.start(shared, { any: 'input' }).snapshot).not.toBe(FlowSession.start(shared).snapshot);
      expect(FlowSession.start(flow).snapshot).not.toBe(FlowSession.start(flow).snapshot);
      const saved = persisted(FlowSession.start(flow));
      const nodes = (session: FlowSession) => (session.snapshot as unknown as { _nodes: unknown[] })._nodes;
      expect(nodes(restoreOk(flow, saved))).not.toBe(nodes(restoreOk(flow, saved)));
      const sharedSaved = persisted(FlowSession.start(shared));
      expect(nodes(restoreOk(shared, sharedSaved))).toBe(nodes(restoreOk(shared, sharedSaved)));
      expect(Object.isFrozen(FlowSession.start(flow).snapshot)).toBe(false);
    });
  });
});

describe('FlowSession.step (issue 16: read off the active state nodes, remembered per list of nodes)', () => {
  /** The step as XState's getMeta gives it: the deepest state whose meta is a step. */
  function stepByMeta(session: FlowSession): string | undefined {
    const snapshot = (session as unknown as { snapshot: { getMeta(): Record<string, unknown>; machine: { getStateNodeById(id: string): { path: string[] } } } }).snapshot;
    let best: { id: string; depth: number } | undefined;
    for (const [id, meta] of Object.entries(snapshot.getMeta())) {
      if (!isStepMeta(meta)) continue;
      const depth = snapshot.machine.getStateNodeById(id).path.length;
      if (!best || depth > best.depth) best = { id, depth };
    }
    return best?.id;
  }

  it('names the deepest step state, and none where no state is a step', () => {
    const nested = setup({}).createMachine({
      initial: 'outer',
      states: {
        outer: {
          meta: { messages: ['outer'], options: [] },
          initial: 'inner',
          states: { inner: { meta: { messages: ['inner'], options: [] }, on: { plain: 'plain' } }, plain: { on: { back: 'inner' } } },
        },
      },
    });
    const session = FlowSession.start({ name: 'nested', version: 1, machine: nested as FlowDefinition['machine'] });
    expect(session.step?.id).toBe('(machine).outer.inner');
    session.send({ type: 'plain' });
    expect(session.step?.id).toBe('(machine).outer');
    expect(FlowSession.start(flow).step).toBeUndefined();
  });

  it("gives the step XState's getMeta gives, on every turn of random walks through the troubleshooting flow, restored and shared as in the bot", () => {
    let seed = 20261201;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let compared = 0;
    for (let walk = 0; walk < 200; walk++) {
      let session = FlowSession.start(troubleshootingFlow);
      for (let turn = 0; turn < 25 && !session.done; turn++) {
        expect(session.step?.id).toBe(stepByMeta(session));
        compared++;
        const options = session.step?.meta.options ?? [];
        if (options.length === 0) break;
        session.send({ type: options[Math.floor(random() * options.length)]!.event });
        const restored = FlowSession.restore(troubleshootingFlow, JSON.parse(JSON.stringify(session.persist())) as PersistedFlow);
        if (!restored.ok) throw new Error('a persisted snapshot did not restore');
        expect(restored.session.step?.id).toBe(stepByMeta(restored.session));
        session = restored.session;
      }
    }
    expect(compared).toBeGreaterThan(800);
  });
});
