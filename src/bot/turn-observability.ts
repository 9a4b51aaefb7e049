/**
 * The first middleware of every adapter: what a turn leaves for operations. Every log line
 * written during the turn (bot, engine, ticket service, transcripts) carries a fresh `turn` id,
 * and the ticket's id once the turn has one (src/logger.ts); the metrics get the turn's duration,
 * its channel and whether it failed (src/observability/app-metrics.ts). Per turn: one UUID, one
 * small object, two clock reads and a few counter additions; no I/O.
 */
import { randomUUID } from 'node:crypto';
import { ActivityEventNames, ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { withLogContext, type LogContext } from '../logger.js';

/** What the middleware tells the metrics (AppMetrics). */
export interface TurnMetrics {
  recordTurn(channelId: string | undefined, conversationId: string | undefined, seconds: number, failed: boolean): void;
}

const TURN_LOG_CONTEXT = Symbol('turnLogContext');

export function turnObservability(metrics: TurnMetrics): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const log: LogContext = { turn: randomUUID() };
      // The adapter's onTurnError runs after this middleware has returned: it finds the context here.
      context.turnState.set(TURN_LOG_CONTEXT, log);
      const activity = context.activity;
      // A proactive message (a ticket update) is the bot's own turn, not a customer's: logged, not counted.
      if (isContinuation(activity)) return withLogContext(log, next);
      const started = performance.now();
      let failed = true;
      try {
        await withLogContext(log, next);
        failed = false;
      } finally {
        metrics.recordTurn(activity.channelId, activity.conversation?.id, (performance.now() - started) / 1000, failed);
      }
    },
  };
}

/** An adapter's onTurnError running in the failed turn's log context, so its lines carry the turn id. */
export function inTurnLogContext(handler: (context: TurnContext, error: Error) => Promise<void>): (context: TurnContext, error: Error) => Promise<void> {
  return (context, error) => {
    const log = context.turnState.get(TURN_LOG_CONTEXT) as LogContext | undefined;
    return log === undefined ? handler(context, error) : withLogContext(log, () => handler(context, error));
  };
}

function isContinuation(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation;
}
