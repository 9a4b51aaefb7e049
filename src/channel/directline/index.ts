import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { SqliteDatabase } from '../../storage/database.js';
import { ActivitySanitizer } from '../../transcripts/activity-sanitizer.js';
import { DirectLineAdapter, type TurnLogic } from './directline-adapter.js';
import { DirectLineChannel } from './directline-channel.js';
import { InProcessConversationSignal, type ConversationSignal } from './conversation-signal.js';
import { signallingStore } from './signalling-store.js';
import type { StreamSettings } from './activity-streams.js';
import type { Logger } from '../../logger.js';
import { SqliteDirectLineStore } from './sqlite-directline-store.js';
import { DirectLineTokenService } from './token-service.js';
import type { DirectLineStore } from './directline-store.js';

export { DIRECTLINE_CHANNEL_ID, DirectLineAdapter } from './directline-adapter.js';
export { DirectLineChannel } from './directline-channel.js';
export { directLineMigrations, SqliteDirectLineStore } from './sqlite-directline-store.js';
export { DirectLineTokenService } from './token-service.js';
export { InProcessConversationSignal, type ConversationSignal } from './conversation-signal.js';
export { PostgresConversationSignal, signalChannelFor } from './postgres-conversation-signal.js';

export interface LocalDirectLine {
  /** Runs the bot for this channel; also the adapter for proactive messages to its conversations. */
  readonly adapter: DirectLineAdapter;
  readonly channel: DirectLineChannel;
  readonly store: DirectLineStore;
}

export interface LocalDirectLineDeps {
  /** The SQLite database (a SqliteDirectLineStore on it), or give `store` (any backend). */
  readonly db?: SqliteDatabase;
  readonly store?: DirectLineStore;
  readonly logic: TurnLogic;
  /** The same middleware every adapter uses (state, transcripts, redaction), in order. */
  readonly middleware: readonly Middleware[];
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  readonly secret: string;
  readonly tokenTtlSeconds: number;
  readonly bot: { readonly id: string; readonly name: string };
  /** Public origin of this server, e.g. `https://chat.example.com`. */
  readonly publicBaseUrl: string;
  /** Tells open streams of every instance about new activities (default: this process only). */
  readonly signal?: ConversationSignal;
  /** Bounds and keep-alive of the web chat streams (WEBCHAT_STREAMS_*). */
  readonly streams?: StreamSettings;
  readonly logger?: Logger;
}

/** Wires the local Direct Line channel: SQLite store, token service, in-process adapter, use cases. */
export function createLocalDirectLine(deps: LocalDirectLineDeps): LocalDirectLine {
  const stored = deps.store ?? (deps.db ? new SqliteDirectLineStore(deps.db) : undefined);
  if (!stored) throw new Error('createLocalDirectLine needs a database or a store');
  const signal = deps.signal ?? new InProcessConversationSignal();
  // Every activity stored (the user's echo, the bot's replies, proactive messages) tells the streams.
  const store = signallingStore(stored, signal);
  const tokens = new DirectLineTokenService({ secret: deps.secret, ttlSeconds: deps.tokenTtlSeconds });
  const adapter = new DirectLineAdapter({
    store,
    bot: deps.bot,
    serviceUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}/v3/directline`,
    echoFilter: maskEcho,
    scrubBeforeTurn: { needle: '"Input.', rewrite: maskCardInputs },
  });
  if (deps.middleware.length > 0) adapter.use(...deps.middleware);
  adapter.onTurnError = deps.onTurnError;
  const channel = new DirectLineChannel({
    adapter,
    store,
    tokens,
    logic: deps.logic,
    signal,
    ...(deps.streams ? { streams: deps.streams } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  return { adapter, channel, store };
}

/**
 * What this channel's history keeps: the one activity sanitiser, masking personal data (only a
 * ticket's identity claims may keep e-mail and phone digits), text never cut (Web Chat shows it again).
 */
const history = new ActivitySanitizer();

/**
 * The customer's echo as this channel keeps it. Secrets are already gone (the redaction
 * middleware ran first); the same sanitiser as the transcript's then masks e-mail addresses and
 * phone numbers in every field the client sent (channelData, entities…) and drops the display
 * name. Ids, and the clientActivityID Web Chat matches its echo by, are kept when they have an
 * id's shape; the bot's own button values are kept whole, anything else in `value` is customer text.
 */
export function maskEcho(activity: Partial<Activity>): Partial<Activity> {
  return history.sanitize(activity, 'customer');
}

/**
 * The bot's earlier forms with their pre-filled answers masked. A form sent back for correction
 * carries what the customer typed (e-mail, phone digits); once the customer has acted on it, the
 * history keeps it as the transcript does (the same sanitiser, the bot's buttons intact).
 * Undefined when it is not such a form.
 */
export function maskCardInputs(activity: Activity): Activity | undefined {
  if (activity.from?.role !== 'bot' || !activity.attachments?.length) return undefined;
  return history.sanitize(activity, 'bot');
}
