import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { parseButtonValue } from '../../conversation/button-value.js';
import { redactDeep } from '../../privacy/index.js';
import type { SqliteDatabase } from '../../storage/database.js';
import { DirectLineAdapter, type TurnLogic } from './directline-adapter.js';
import { DirectLineChannel } from './directline-channel.js';
import { SqliteDirectLineStore } from './sqlite-directline-store.js';
import { DirectLineTokenService } from './token-service.js';

export { DIRECTLINE_CHANNEL_ID, DirectLineAdapter } from './directline-adapter.js';
export { DirectLineChannel } from './directline-channel.js';
export { directLineMigrations, SqliteDirectLineStore } from './sqlite-directline-store.js';
export { DirectLineTokenService } from './token-service.js';

export interface LocalDirectLine {
  /** Runs the bot for this channel; also the adapter for proactive messages to its conversations. */
  readonly adapter: DirectLineAdapter;
  readonly channel: DirectLineChannel;
  readonly store: SqliteDirectLineStore;
}

export interface LocalDirectLineDeps {
  readonly db: SqliteDatabase;
  readonly logic: TurnLogic;
  /** The same middleware every adapter uses (state, transcripts, redaction), in order. */
  readonly middleware: readonly Middleware[];
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  readonly secret: string;
  readonly tokenTtlSeconds: number;
  readonly bot: { readonly id: string; readonly name: string };
  /** Public origin of this server, e.g. `https://chat.example.com`. */
  readonly publicBaseUrl: string;
}

/** Wires the local Direct Line channel: SQLite store, token service, in-process adapter, use cases. */
export function createLocalDirectLine(deps: LocalDirectLineDeps): LocalDirectLine {
  const store = new SqliteDirectLineStore(deps.db);
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
  const channel = new DirectLineChannel({ adapter, store, tokens, logic: deps.logic });
  return { adapter, channel, store };
}

/**
 * The customer's echo as this channel keeps it: secrets are already gone (redaction middleware);
 * e-mail addresses and phone numbers are masked too, since only a ticket's identity claims may
 * keep them. The bot's own button values are left alone (they are not customer text).
 */
export function maskEcho(activity: Partial<Activity>): Partial<Activity> {
  // Every field the client sent (channelData, entities, from.name…), not only text and value. Ids,
  // and the clientActivityID Web Chat matches its echo by, are kept when they have an id's shape.
  return redactDeep(activity, { isTrustedValue: (v) => parseButtonValue(v) !== undefined }).value;
}

/**
 * The bot's earlier forms with their pre-filled answers masked. A form sent back for correction
 * carries what the customer typed (e-mail, phone digits); once the customer has acted on it, the
 * history keeps only masked values. Undefined when there is nothing to change.
 */
export function maskCardInputs(activity: Activity): Activity | undefined {
  if (activity.from?.role !== 'bot' || !activity.attachments?.length) return undefined;
  const attachments = activity.attachments.map((a) =>
    a.contentType === 'application/vnd.microsoft.card.adaptive' ? { ...a, content: redactDeep(a.content).value } : a,
  );
  return { ...activity, attachments };
}
