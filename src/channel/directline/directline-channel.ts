import { randomBytes } from 'node:crypto';
import type { ResourceResponse } from 'botbuilder';
import { AppError } from '../../errors.js';
import type { DirectLineAdapter, IncomingActivity, TurnLogic } from './directline-adapter.js';
import type { DirectLineConversation, DirectLineStore } from './directline-store.js';
import type { ActivityBody } from './schemas.js';
import type { DirectLineTokenClaims, DirectLineTokenService } from './token-service.js';

/** Who is calling: a token holder (one conversation) or a holder of DIRECTLINE_SECRET (any). */
export type DirectLineCaller = { readonly kind: 'token'; readonly token: string; readonly claims: DirectLineTokenClaims } | { readonly kind: 'secret' };

/** Direct Line's conversation object, as the client expects it. */
export interface ConversationResponse {
  readonly conversationId: string;
  readonly token: string;
  readonly expires_in: number;
}

export interface DirectLineChannelDeps {
  readonly adapter: DirectLineAdapter;
  readonly store: DirectLineStore;
  readonly tokens: DirectLineTokenService;
  /** The bot's turn logic, e.g. `(context) => bot.run(context)`. */
  readonly logic: TurnLogic;
  readonly now?: () => number;
}

/** Most activities one poll returns; the client polls again for the rest. */
const PAGE_SIZE = 100;

/**
 * The local Direct Line channel's use cases, free of HTTP: issue tokens, start and resume
 * conversations, accept and list activities. Every method enforces who may do what and
 * throws AppError (`unauthorized`, `forbidden`, `not_found`…) for the route to map.
 */
export class DirectLineChannel {
  private readonly now: () => number;

  constructor(private readonly deps: DirectLineChannelDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Reads an `Authorization` header value. @throws `unauthorized` (missing/invalid) or `forbidden` (expired). */
  authenticate(authorization: string | undefined): DirectLineCaller {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
    if (!match) throw new AppError('unauthorized', 'Missing or invalid token');
    const value = match[1]!;
    if (this.deps.tokens.isSecret(value)) return { kind: 'secret' };
    return { kind: 'token', token: value, claims: this.deps.tokens.verify(value) };
  }

  /** A token for a brand-new conversation (not created until the client starts it). */
  generateToken(): ConversationResponse & { readonly userId: string } {
    const issued = this.deps.tokens.issue(newConversationId(), newUserId());
    return { conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn, userId: issued.claims.user };
  }

  /** A fresh token for the caller's conversation. */
  refreshToken(caller: DirectLineCaller): ConversationResponse {
    if (caller.kind !== 'token') throw new AppError('invalid_input', 'Only a token can be refreshed');
    const issued = this.deps.tokens.issue(caller.claims.conv, caller.claims.user);
    return { conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn };
  }

  /**
   * Starts the caller's conversation (a token's own, or a new one for the secret), and lets the
   * bot welcome the user the first time. Starting again is harmless: `created` is false.
   */
  async startConversation(caller: DirectLineCaller, options: { locale?: string | undefined }): Promise<ConversationResponse & { created: boolean }> {
    const claims = caller.kind === 'token' ? caller.claims : this.deps.tokens.issue(newConversationId(), newUserId()).claims;
    const { created, conversation } = await this.deps.store.createConversation({ id: claims.conv, userId: claims.user, locale: options.locale });
    if (created) await this.deps.adapter.startConversation(conversation, this.deps.logic);
    return { ...this.tokenFor(caller, conversation), created };
  }

  /** Reconnects to an existing conversation (the client then polls from its watermark). */
  async resumeConversation(caller: DirectLineCaller, conversationId: string): Promise<ConversationResponse> {
    const conversation = await this.conversationFor(caller, conversationId);
    return this.tokenFor(caller, conversation);
  }

  async postActivity(caller: DirectLineCaller, conversationId: string, body: ActivityBody): Promise<ResourceResponse> {
    const conversation = await this.conversationFor(caller, conversationId);
    const incoming: IncomingActivity = {
      type: body.type,
      text: body.text,
      textFormat: body.textFormat,
      value: body.value,
      name: body.name,
      locale: body.locale,
      localTimestamp: body.localTimestamp,
      localTimezone: body.localTimezone,
      from: body.from?.name ? { name: body.from.name } : undefined,
      channelData: body.channelData,
      entities: body.entities,
    };
    return this.deps.adapter.receiveActivity(conversation, incoming, this.deps.logic);
  }

  async getActivities(caller: DirectLineCaller, conversationId: string, watermark: number): Promise<{ activities: unknown[]; watermark: string }> {
    await this.conversationFor(caller, conversationId);
    const page = await this.deps.store.listActivities(conversationId, watermark, PAGE_SIZE);
    return { activities: page.activities, watermark: String(page.watermark) };
  }

  /**
   * The conversation the caller may use. A token for another conversation is refused before the
   * lookup, so a token holder cannot probe which conversation ids exist.
   */
  async conversationFor(caller: DirectLineCaller, conversationId: string): Promise<DirectLineConversation> {
    if (caller.kind === 'token' && caller.claims.conv !== conversationId) {
      throw new AppError('forbidden', 'This token is for another conversation');
    }
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new AppError('not_found', 'Unknown conversation');
    return conversation;
  }

  private tokenFor(caller: DirectLineCaller, conversation: DirectLineConversation): ConversationResponse {
    if (caller.kind === 'token') {
      const expiresIn = Math.max(0, caller.claims.exp - Math.floor(this.now() / 1000));
      return { conversationId: conversation.id, token: caller.token, expires_in: expiresIn };
    }
    const issued = this.deps.tokens.issue(conversation.id, conversation.userId);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expiresIn };
  }
}

function newConversationId(): string {
  return randomBytes(18).toString('base64url');
}

/** `dl_` marks a user id that only a token can carry (the Direct Line client honours this). */
function newUserId(): string {
  return `dl_${randomBytes(12).toString('base64url')}`;
}
