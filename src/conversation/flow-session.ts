import { createActor, type Actor, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';

/** An event for any flow: a type plus the data it carries (slots, field values). */
export type FlowEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A machine plus the version its persisted snapshots are tagged with. */
export interface FlowDefinition {
  readonly name: string;
  readonly version: number;
  readonly machine: AnyStateMachine;
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
 * Keeps XState details (actors, snapshots, errors) out of the turn logic.
 */
export class FlowSession {
  private failure: unknown;

  private constructor(
    readonly definition: FlowDefinition,
    private readonly actor: Actor<AnyStateMachine>,
  ) {
    // Subscribe before start: a snapshot that does not fit the machine surfaces as an actor
    // error, and unobserved it would be rethrown later as an uncaught exception.
    actor.subscribe({ error: (err) => (this.failure = err) });
    actor.start();
  }

  static start(definition: FlowDefinition, input?: unknown): FlowSession {
    return new FlowSession(definition, createActor(definition.machine, { input }));
  }

  /** Restores a persisted flow; a snapshot from another version or one that fails to load is refused, not loaded. */
  static restore(definition: FlowDefinition, persisted: PersistedFlow): RestoreResult {
    if (persisted.name !== definition.name || persisted.version !== definition.version) return { ok: false, why: 'version' };
    try {
      const session = new FlowSession(
        definition,
        createActor(definition.machine, { snapshot: persisted.snapshot as SnapshotFrom<AnyStateMachine> }),
      );
      if (session.failure !== undefined || session.snapshot.status === 'error') return { ok: false, why: 'corrupt' };
      return { ok: true, session };
    } catch {
      return { ok: false, why: 'corrupt' };
    }
  }

  get snapshot(): SnapshotFrom<AnyStateMachine> {
    return this.actor.getSnapshot();
  }

  get done(): boolean {
    return this.snapshot.status === 'done';
  }

  get output(): unknown {
    return this.snapshot.output;
  }

  get context(): unknown {
    return this.snapshot.context;
  }

  /** Whether the current state accepts this event (the machine decides, not the caller). */
  can(event: FlowEvent): boolean {
    return !this.done && this.snapshot.can(event);
  }

  /** Sends an event the machine accepts; returns false (and changes nothing) otherwise. */
  send(event: FlowEvent): boolean {
    if (!this.can(event)) return false;
    try {
      this.actor.send(event);
    } catch (err) {
      this.failure ??= err;
    }
    if (this.failure !== undefined) throw new FlowBrokenError(this.definition.name, this.failure);
    return true;
  }

  /** The last step worked out and the snapshot it belongs to: a turn asks several times, the snapshot changes only on send. */
  private stepOf: { snapshot: unknown; step: CurrentStep | undefined } | undefined;

  get step(): CurrentStep | undefined {
    const snapshot = this.snapshot;
    if (this.stepOf?.snapshot === snapshot) return this.stepOf.step;
    const step = this.findStep(snapshot);
    this.stepOf = { snapshot, step };
    return step;
  }

  private findStep(snapshot: SnapshotFrom<AnyStateMachine>): CurrentStep | undefined {
    let best: { id: string; meta: StepMeta; depth: number } | undefined;
    for (const [id, meta] of Object.entries(snapshot.getMeta() as Record<string, unknown>)) {
      if (!isStepMeta(meta)) continue;
      const depth = this.definition.machine.getStateNodeById(id).path.length;
      if (!best || depth > best.depth) best = { id, meta, depth };
    }
    return best && { id: best.id, meta: best.meta };
  }

  persist(): PersistedFlow {
    return {
      name: this.definition.name,
      version: this.definition.version,
      snapshot: this.actor.getPersistedSnapshot(),
    };
  }

  stop(): void {
    this.actor.stop();
  }
}
