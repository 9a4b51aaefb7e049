/**
 * The outcome of one conversation session at a given time (flows/outcome.ts CONVERSATION_OUTCOMES):
 * resolved only when the customer confirmed at a resolved ending; handoff and out of scope as they
 * ended; abandoned when nothing ended it and its last turn is older than ABANDON_AFTER_MINUTES;
 * else open. A resolved ending the customer never confirmed counts as abandoned at that ending's
 * step once the time has passed (the report shows where), open before.
 */
import type { ConversationOutcome } from '../../flows/outcome.js';
import type { ConversationSession } from './conversation-session.js';

export function sessionOutcome(
  session: Pick<ConversationSession, 'endingKind' | 'solved' | 'lastAt'>,
  now: Date,
  abandonAfterMinutes: number,
): ConversationOutcome {
  switch (session.endingKind) {
    case 'handoff':
      return 'handoff';
    case 'out_of_scope':
      return 'out_of_scope';
    case 'resolved':
      if (session.solved === true) return 'resolved';
      break;
    case null:
      break;
  }
  const idleMs = now.getTime() - Date.parse(session.lastAt);
  return idleMs >= abandonAfterMinutes * 60_000 ? 'abandoned' : 'open';
}
