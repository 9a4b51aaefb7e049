/**
 * The first middleware of every adapter: what a turn leaves for operations. The turn gets a fresh
 * `turn` id, kept in its turnState ({@link turnLogContext}): the bot's log lines and the adapter's
 * error handler add it (and the ticket's id once the turn has one) with logFields (src/logger.ts).
 * The metrics get the turn's duration, its channel and whether it failed
 * (src/observability/app-metrics.ts). Per turn: one UUID, one small object, two clock reads and a
 * few counter additions; no I/O.
 */
import { randomUUID } from 'node:crypto';
import { ActivityEventNames, ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { logFields, type LogContext } from '../logger.js';

/** What the middleware tells the metrics (AppMetrics). */
export interface TurnMetrics {
  recordTurn(channelId: string | undefined, conversationId: string | undefined, seconds: number, failed: boolean): void;
}

const TURN_LOG_CONTEXT = Symbol('turnLogContext');

export function turnObservability(metrics: TurnMetrics): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const log: LogContext = { turn: randomUUID() };
      // The bot and the adapter's onTurnError (which runs after this middleware has returned) find it here.
      context.turnState.set(TURN_LOG_CONTEXT, log);
      const activity = context.activity;
      // A proactive message (a ticket update) is the bot's own turn, not a customer's: logged, not counted.
      if (isContinuation(activity)) return next();
      const started = performance.now();
      let failed = true;
      try {
        await next();
        failed = false;
      } finally {
        metrics.recordTurn(activity.channelId, activity.conversation?.id, (performance.now() - started) / 1000, failed);
      }
    },
  };
}

/** The fields the turn's log lines add (none before this middleware ran), see logFields. */
export function turnLogFields(context: TurnContext): Record<string, string> {
  return logFields(turnLogContext(context));
}

/** The turn's log context (undefined before this middleware ran, or on an adapter without it). */
export function turnLogContext(context: TurnContext): LogContext | undefined {
  return context.turnState.get(TURN_LOG_CONTEXT) as LogContext | undefined;
}

function isContinuation(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation;
}
