import type { AnyStateMachine, SnapshotFrom } from 'xstate';
import { deepFreeze } from '../deep-freeze.js';

/**
 * What the conversations of one machine share: its first snapshot, and for each point of the tree
 * (state value and history) the state nodes XState resolves it to. Restoring a snapshot
 * (XState's restoreSnapshot: the state value resolved to its nodes, their tags, the history
 * revived) was about a twentieth of a turn's CPU under load (issue 16), and it depends only on
 * that point, never on the context: a troubleshooting tree has a few hundred points whatever the
 * number of conversations, so nearly every turn finds its own here and gets a snapshot with its
 * own context, as restoreSnapshot would build it (`{ ...snapshot, context }`, which is how XState
 * copies a snapshot too).
 *
 * Safe because nothing shared is ever changed: XState's transitions make new snapshots, values
 * and histories; FlowSession replaces its own snapshot. The shared parts are frozen (the state
 * value deeply, the node list, the history, the children) so that a write would throw rather than
 * reach another conversation; the first snapshot, context included, is frozen whole. Only an
 * active snapshot without child actors is shared (every troubleshooting one); anything else is
 * restored in full. At most {@link SHARED_SNAPSHOTS} points per machine, forgotten all at once
 * when full (as the sanitiser's text cache), so memory does not grow with conversations.
 */
export class SharedSnapshots {
  private static readonly byMachine = new WeakMap<AnyStateMachine, SharedSnapshots>();
  private first: SnapshotFrom<AnyStateMachine> | undefined;
  private readonly byPoint = new Map<string, SnapshotFrom<AnyStateMachine>>();

  constructor(private readonly capacity = SHARED_SNAPSHOTS) {}

  static of(machine: AnyStateMachine): SharedSnapshots {
    let shared = SharedSnapshots.byMachine.get(machine);
    if (!shared) SharedSnapshots.byMachine.set(machine, (shared = new SharedSnapshots()));
    return shared;
  }

  initial(make: () => SnapshotFrom<AnyStateMachine>): SnapshotFrom<AnyStateMachine> {
    if (this.first) return this.first;
    const snapshot = make();
    if (snapshot.status !== 'active') return snapshot;
    deepFreeze(snapshot.context);
    return (this.first = freezeShared(snapshot));
  }

  /** The snapshot `persisted` restores to, with its own context; a failed restore (status `error`) is not kept. */
  restored(persisted: unknown, restore: () => SnapshotFrom<AnyStateMachine>): SnapshotFrom<AnyStateMachine> {
    const p = persisted as { status?: unknown; value?: unknown; historyValue?: unknown; children?: unknown; context?: unknown };
    if (p.status !== 'active' || !isEmptyObject(p.children) || holdsActorRef(p.context)) return restore();
    const key = JSON.stringify([p.value, p.historyValue ?? null]);
    const base = this.byPoint.get(key);
    if (base) return { ...base, context: p.context } as SnapshotFrom<AnyStateMachine>;
    const snapshot = restore();
    if (snapshot.status !== 'active') return snapshot;
    if (this.byPoint.size >= this.capacity) this.byPoint.clear();
    // Kept without this conversation's context: each hit brings its own.
    this.byPoint.set(key, freezeShared({ ...snapshot, context: undefined } as SnapshotFrom<AnyStateMachine>));
    return snapshot;
  }
}

/** Points of the tree kept per machine by {@link SharedSnapshots}. */
export const SHARED_SNAPSHOTS = 5_000;

/** Freezes the parts of a snapshot other conversations' snapshots share with it, and the snapshot. */
function freezeShared(snapshot: SnapshotFrom<AnyStateMachine>): SnapshotFrom<AnyStateMachine> {
  const s = snapshot as SnapshotFrom<AnyStateMachine> & { _nodes?: unknown[]; historyValue?: Record<string, unknown[]> };
  deepFreeze(s.value);
  if (s._nodes) Object.freeze(s._nodes);
  // The history lists state nodes (the machine's own objects): the lists are frozen, not the nodes.
  for (const list of Object.values(s.historyValue ?? {})) Object.freeze(list);
  Object.freeze(s.historyValue);
  Object.freeze(s.children);
  return Object.freeze(snapshot);
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

/** Whether a persisted context holds an actor reference, which restoreSnapshot would revive. */
function holdsActorRef(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if ('xstate$$type' in value) return true;
  for (const key in value) if (holdsActorRef((value as Record<string, unknown>)[key])) return true;
  return false;
}
