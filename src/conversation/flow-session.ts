import { createActor, type ActorScope, type AnyStateMachine, type EventObject, type Snapshot, type SnapshotFrom } from 'xstate';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';
import { SharedSnapshots } from './shared-snapshots.js';

/** An event for any flow: a type plus the data it carries (slots, field values). */
export type FlowEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A machine plus the version its persisted snapshots are tagged with. */
export interface FlowDefinition {
  readonly name: string;
  readonly version: number;
  readonly machine: AnyStateMachine;
  /**
   * Its snapshots hold nothing of the customer (step ids, flags): a restored or initial snapshot
   * may then be shared by every conversation at the same point (see {@link SharedSnapshots}). Not
   * for the identity flow, whose context holds what the customer typed.
   */
  readonly sharedSnapshots?: boolean;
}

/** What is stored in conversation state for a running flow: small JSON. */
export interface PersistedFlow {
  readonly name: string;
  readonly version: number;
  readonly snapshot: unknown;
}

/** The step the customer is looking at: the deepest active state that carries StepMeta. */
export interface CurrentStep {
  /** The state node's id (e.g. `smsNotReceived.airplaneMode` or a custom `#id`). */
  readonly id: string;
  readonly meta: StepMeta;
}

/**
 * The machine failed on an event: a restored snapshot that loaded but does not fit the machine
 * (a context written by another release). The conversation restarts politely.
 */
export class FlowBrokenError extends Error {
  override readonly name = 'FlowBrokenError';
  constructor(
    readonly flow: string,
    override readonly cause: unknown,
  ) {
    super(`flow ${flow} failed on an event`);
  }
}

export type RestoreResult = { ok: true; session: FlowSession } | { ok: false; why: 'version' | 'corrupt' };

/**
 * One flow running for one conversation turn: restored from JSON, fed events, persisted again.
 * Keeps XState details (snapshots, actor scopes, errors) out of the turn logic.
 *
 * The machine's own logic is called directly (restoreSnapshot, transition, getPersistedSnapshot:
 * XState's ActorLogic interface) instead of starting an actor per turn: an actor builds and then
 * throws away an initial snapshot, a system and a mailbox every time, which cost about half of a
 * turn's XState time (about 35 µs against 15 µs for restore, send and persist, warm). The scope
 * the logic needs is built once per machine (see scopeOf for what it supports).
 */
export class FlowSession {
  private constructor(
    readonly definition: FlowDefinition,
    private current: SnapshotFrom<AnyStateMachine>,
  ) {}

  static start(definition: FlowDefinition, input?: unknown): FlowSession {
    const machine = definition.machine;
    const make = () => machine.getInitialSnapshot(scopeOf(machine), input) as SnapshotFrom<AnyStateMachine>;
    // Without input the first snapshot is always the same: made once.
    if (input === undefined && definition.sharedSnapshots) return new FlowSession(definition, SharedSnapshots.of(machine).initial(make));
    return new FlowSession(definition, make());
  }

  /** Restores a persisted flow; a snapshot from another version or one that fails to load is refused, not loaded. */
  static restore(definition: FlowDefinition, persisted: PersistedFlow): RestoreResult {
    if (persisted.name !== definition.name || persisted.version !== definition.version) return { ok: false, why: 'version' };
    if (typeof persisted.snapshot !== 'object' || persisted.snapshot === null) return { ok: false, why: 'corrupt' };
    try {
      const machine = definition.machine;
      const restore = () => machine.restoreSnapshot!(persisted.snapshot as Snapshot<unknown>, scopeOf(machine)) as SnapshotFrom<AnyStateMachine>;
      const snapshot = definition.sharedSnapshots ? SharedSnapshots.of(machine).restored(persisted.snapshot, restore) : restore();
      if (snapshot.status === 'error') return { ok: false, why: 'corrupt' };
      return { ok: true, session: new FlowSession(definition, snapshot) };
    } catch {
      return { ok: false, why: 'corrupt' };
    }
  }

  get snapshot(): SnapshotFrom<AnyStateMachine> {
    return this.current;
  }

  get done(): boolean {
    return this.current.status === 'done';
  }

  get output(): unknown {
    return this.current.output;
  }

  get context(): unknown {
    return this.current.context;
  }

  /** Whether the current state accepts this event (the machine decides, not the caller). */
  can(event: FlowEvent): boolean {
    return !this.done && this.current.can(event);
  }

  /** Sends an event the machine accepts; returns false (and changes nothing) otherwise. */
  send(event: FlowEvent): boolean {
    if (!this.can(event)) return false;
    const machine = this.definition.machine;
    let next: SnapshotFrom<AnyStateMachine>;
    try {
      next = machine.transition(this.current, event, scopeOf(machine)) as SnapshotFrom<AnyStateMachine>;
    } catch (err) {
      throw new FlowBrokenError(this.definition.name, err);
    }
    if (next.status === 'error') throw new FlowBrokenError(this.definition.name, next.error);
    this.current = next;
    return true;
  }

  /** A turn asks several times: answered from the memo of the snapshot's active nodes (findStep). */
  get step(): CurrentStep | undefined {
    return this.findStep(this.snapshot);
  }

  /**
   * The deepest active state whose meta is a step. Read off the snapshot's active state nodes
   * (XState's own `_nodes`, which getMeta walks too) rather than through getMeta, which builds a
   * record per call that is then looked up again node by node by id: that was about 2 % of a turn's
   * CPU under load. Remembered per list of active nodes: restored snapshots at one point of the
   * tree share theirs (shared-snapshots.ts). Without `_nodes` (another XState), getMeta as before.
   */
  private findStep(snapshot: SnapshotFrom<AnyStateMachine>): CurrentStep | undefined {
    const nodes = (snapshot as { _nodes?: unknown })._nodes;
    if (!Array.isArray(nodes)) return this.findStepByMeta(snapshot);
    const known = stepOfNodes.get(nodes);
    if (known !== undefined) return known ?? undefined;
    const step = deepestStep((nodes as readonly { id: string; meta?: unknown; path: readonly string[] }[]).map((node) => [node.id, node.meta, node.path.length] as const));
    stepOfNodes.set(nodes, step ?? null);
    return step;
  }

  private findStepByMeta(snapshot: SnapshotFrom<AnyStateMachine>): CurrentStep | undefined {
    const machine = this.definition.machine;
    return deepestStep(Object.entries(snapshot.getMeta() as Record<string, unknown>).map(([id, meta]) => [id, meta, machine.getStateNodeById(id).path.length] as const));
  }

  persist(): PersistedFlow {
    return {
      name: this.definition.name,
      version: this.definition.version,
      snapshot: this.definition.machine.getPersistedSnapshot(this.current),
    };
  }
}

/** The deepest of the states (id, meta, depth) whose meta is a step; the first of equals. */
function deepestStep(states: readonly (readonly [string, unknown, number])[]): CurrentStep | undefined {
  let best: { id: string; meta: StepMeta; depth: number } | undefined;
  for (const [id, meta, depth] of states) {
    if (isStepMeta(meta) && (!best || depth > best.depth)) best = { id, meta, depth };
  }
  return best && { id: best.id, meta: best.meta };
}

/** The step of a list of active state nodes (null: none), see FlowSession.findStep. */
const stepOfNodes = new WeakMap<readonly unknown[], CurrentStep | null>();

const scopes = new WeakMap<AnyStateMachine, ActorScope<SnapshotFrom<AnyStateMachine>, EventObject>>();

/** What a flow's machine may not do here: it has no actor to do it with (the flows do none of it). */
function unsupported(what: string): () => never {
  return () => {
    throw new Error(`FlowSession runs a machine's transitions without an actor: ${what} is not supported (flows/ use assign, raise and eventless transitions only)`);
  };
}

/**
 * The scope a machine's logic runs in, as XState's own pure `transition()` builds it (an actor
 * that is never started as `self`, its system), made once per machine rather than per call.
 * Actions that need a running actor (log, emit, sendTo, delays, spawning or stopping children)
 * throw instead of vanishing: the turn then fails as a broken flow, and the goldens catch it.
 * Custom action functions run at once, as in an actor.
 */
function scopeOf(machine: AnyStateMachine): ActorScope<SnapshotFrom<AnyStateMachine>, EventObject> {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: unsupported('the log action'),
      defer: unsupported('a deferred action (sendTo, a delayed raise, spawning)'),
      emit: unsupported('the emit action'),
      stopChild: unsupported('stopping a child actor'),
      system: self.system,
      actionExecutor: (action) => action.exec?.(action.info, action.params),
    } as ActorScope<SnapshotFrom<AnyStateMachine>, EventObject>;
    scopes.set(machine, scope);
  }
  return scope;
}
