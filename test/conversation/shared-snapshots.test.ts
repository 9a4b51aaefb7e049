/**
 * SharedSnapshots (src/conversation/shared-snapshots.ts) on its own: what it shares and what it
 * restores in full. How conversations use it is in flow-session.test.ts.
 */
import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FlowSession, type FlowDefinition } from '../../src/conversation/flow-session.js';
import { SHARED_SNAPSHOTS, SharedSnapshots } from '../../src/conversation/shared-snapshots.js';

const sharedMachine = setup({}).createMachine({
  initial: 'asking',
  context: { trail: [] as string[] },
  states: { asking: { initial: 'one', states: { one: {}, two: {} } }, done: { type: 'final' } },
});
const shared: FlowDefinition = { name: 'shared', version: 1, machine: sharedMachine as FlowDefinition['machine'], sharedSnapshots: true };
const persisted = (session: FlowSession) => JSON.parse(JSON.stringify(session.persist())) as ReturnType<FlowSession['persist']>;

describe('SharedSnapshots', () => {
  it(`restores in full what it cannot share, and keeps at most its capacity (${SHARED_SNAPSHOTS} by default)`, () => {
    const cache = new SharedSnapshots(2);
    let restores = 0;
    const real = persisted(FlowSession.start(shared)).snapshot as Record<string, unknown>;
    const restore = () => {
      restores++;
      return sharedMachine.restoreSnapshot(real as never, undefined as never) as never;
    };
    const at = (value: unknown, extra: Record<string, unknown> = {}) => ({ ...real, value, ...extra });
    cache.restored(at({ asking: 'one' }), restore);
    cache.restored(at({ asking: 'one' }), restore);
    expect(restores).toBe(1);
    for (const odd of [{ status: 'done' }, { children: { kid: {} } }, { context: { trail: [], ref: { xstate$$type: 1, id: 'kid' } } }]) cache.restored(at({ asking: 'one' }, odd), restore);
    expect(restores).toBe(4);
    cache.restored(at({ asking: 'two' }), restore);
    cache.restored(at('done'), restore);
    cache.restored(at({ asking: 'one' }), restore);
    expect(restores).toBe(7);
  });
});
