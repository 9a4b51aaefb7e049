/**
 * Where ticket alerts are shown: the agents' channel. The Teams implementation lives with the
 * other botbuilder code (src/bot/teams-alert-channel.ts); tests use a fake.
 */

/** One alert as the channel shows it: an Adaptive Card and the line notifications show. */
export interface AlertMessage {
  readonly card: Record<string, unknown>;
  readonly summary: string;
}

export interface AlertChannel {
  /** Posts a new message; resolves with the channel's id for it (to update it later). Throws when not taken. */
  post(message: AlertMessage): Promise<string>;
  /** Replaces the message `activityId` in place. Throws when not taken. */
  update(activityId: string, message: AlertMessage): Promise<void>;
}
