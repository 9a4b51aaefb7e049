import { randomBytes } from 'node:crypto';
import type { ResourceResponse } from 'botbuilder';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { ActivityStreams, DEFAULT_STREAM_SETTINGS, type StreamSettings, type StreamSlot } from './activity-streams.js';
import { InProcessConversationSignal, type ConversationSignal } from './conversation-signal.js';
import type { DirectLineAdapter, IncomingActivity, TurnLogic } from './directline-adapter.js';
import { newActivityId, type DirectLineConversation, type DirectLineStore, type TokenState } from './directline-store.js';
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
  /** How long a refreshed token keeps working (default 30 s); see {@link DirectLineChannel.refreshToken}. */
  readonly refreshGraceSeconds?: number;
  /** Tells open streams that their conversation has something new (default: this process only). */
  readonly signal?: ConversationSignal;
  readonly streams?: StreamSettings;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Web Chat's client swaps in a refreshed token as soon as the answer arrives, but a poll or a
 * message sent just before still carries the old one; a 403 on it would leave the client stuck in
 * "expired token" (it never polls again). Its requests time out after 20 s, so 30 s covers every
 * request already on its way, and no more.
 */
const DEFAULT_REFRESH_GRACE_SECONDS = 30;

/** Most activities one poll returns; the client polls again for the rest. */
const PAGE_SIZE = 100;

/**
 * The local Direct Line channel's use cases, free of HTTP: issue tokens, start and resume
 * conversations, accept and list activities. Every method enforces who may do what and
 * throws AppError (`unauthorized`, `forbidden`, `not_found`…) for the route to map.
 */
export class DirectLineChannel {
  private readonly now: () => number;
  private readonly graceMs: number;
  /** The conversations' open streams on this instance: `close()` at shutdown, `tick()` a keep-alive round now (tests). */
  readonly streams: ActivityStreams;

  constructor(private readonly deps: DirectLineChannelDeps) {
    this.now = deps.now ?? Date.now;
    this.graceMs = (deps.refreshGraceSeconds ?? DEFAULT_REFRESH_GRACE_SECONDS) * 1000;
    const streams = deps.streams ?? DEFAULT_STREAM_SETTINGS;
    this.streams = new ActivityStreams({
      store: deps.store,
      signal: deps.signal ?? new InProcessConversationSignal(),
      maxStreams: streams.max,
      maxPerConversation: streams.perConversation,
      keepAliveMs: streams.keepAliveSeconds * 1000,
      stillAllowed: (conversationId, generation) => this.streamStillAllowed(conversationId, generation),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  }

  /** Web chat streams open on this instance now: the "web chat connections" gauge. */
  openStreams(): number {
    return this.streams.open;
  }

  /** The ticket in the caller's `streamUrl`: it opens the stream (only that) for two minutes; each reconnect gets a new one. */
  async streamTicket(caller: DirectLineCaller, conversationId: string): Promise<string> {
    const generation = caller.kind === 'token' ? caller.claims.gen : (await this.deps.store.getTokenState(conversationId)).generation;
    return this.deps.tokens.issueStreamTicket(conversationId, generation);
  }

  /**
   * Checks everything the polling routes check (ticket or token genuine and unexpired, of this
   * conversation, not retired by a refresh, conversation not ended and existing) and takes a place
   * among the open streams (the caller opens the connection, then the slot). Credentials: the
   * ticket of `streamUrl`, or a token or the secret in an Authorization header.
   * @throws AppError `unauthorized`, `forbidden`, `not_found`, `rate_limited` (too many streams), `unavailable` (stopping).
   */
  async openStream(credentials: { ticket?: string | undefined; authorization?: string | undefined }, conversationId: string): Promise<{ slot: StreamSlot; generation: number | undefined }> {
    let generation: number | undefined;
    if (credentials.ticket !== undefined) {
      const ticket = this.deps.tokens.verifyStreamTicket(credentials.ticket);
      if (ticket.conv !== conversationId) throw new AppError('forbidden', 'This token is for another conversation');
      generation = ticket.gen;
      const state = await this.deps.store.getTokenState(conversationId);
      if (state.closedAt !== undefined) throw ended();
      if (generation !== state.generation && !this.generationInGrace(generation, state)) throw new AppError('forbidden', 'This token was replaced by a newer one');
      if (!(await this.deps.store.getConversation(conversationId))) throw new AppError('not_found', 'Unknown conversation');
    } else {
      const caller = await this.authenticate(credentials.authorization);
      await this.conversationFor(caller, conversationId);
      generation = caller.kind === 'token' ? caller.claims.gen : undefined;
    }
    return { slot: this.streams.admit(conversationId), generation };
  }

  /**
   * Reads an `Authorization` header value.
   * @throws `unauthorized` (missing/invalid), `forbidden` (expired, or retired by a refresh), `not_found` (conversation ended).
   */
  async authenticate(authorization: string | undefined): Promise<DirectLineCaller> {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
    if (!match) throw new AppError('unauthorized', 'Missing or invalid token');
    const value = match[1]!;
    if (this.deps.tokens.isSecret(value)) return { kind: 'secret' };
    const claims = this.deps.tokens.verify(value);
    const state = await this.deps.store.getTokenState(claims.conv);
    // 404, as for a deleted conversation: the Direct Line client then reports the conversation ended.
    if (state.closedAt !== undefined) throw ended();
    // 403 like an expired token: the client's answer to both is to get a new one.
    if (claims.gen !== state.generation && !this.generationInGrace(claims.gen, state)) throw new AppError('forbidden', 'This token was replaced by a newer one');
    return { kind: 'token', token: value, claims };
  }

  /** A token for a brand-new conversation (not created until the client starts it). */
  generateToken(): ConversationResponse & { readonly userId: string } {
    const issued = this.deps.tokens.issue(newConversationId(), newUserId());
    return { conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn, userId: issued.claims.user };
  }

  /**
   * A fresh token for the caller's conversation, which retires the caller's token (and any other
   * of its generation) after a short grace. Only the newest token can be refreshed, once: a
   * copied token cannot be used to keep a conversation going beside its owner.
   */
  async refreshToken(caller: DirectLineCaller): Promise<ConversationResponse> {
    if (caller.kind !== 'token') throw new AppError('invalid_input', 'Only a token can be refreshed');
    const { conv, user, gen } = caller.claims;
    const next = await this.deps.store.advanceTokenGeneration(conv, gen, new Date(this.now() + this.graceMs));
    if (next === undefined) throw new AppError('forbidden', 'This token was replaced by a newer one');
    const issued = this.deps.tokens.issue(conv, user, next);
    return { conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn };
  }

  /** Ends the conversation: none of its tokens work any more, and the secret can no longer use it either. */
  async endConversation(caller: DirectLineCaller, conversationId: string): Promise<void> {
    await this.conversationFor(caller, conversationId);
    await this.deps.store.closeConversation(conversationId);
  }

  /**
   * Starts the caller's conversation (a token's own, or a new one for the secret), and lets the
   * bot welcome the user the first time. Starting again is harmless: `created` is false.
   */
  async startConversation(caller: DirectLineCaller, options: { locale?: string | undefined }): Promise<ConversationResponse & { created: boolean }> {
    const claims = caller.kind === 'token' ? caller.claims : this.deps.tokens.issue(newConversationId(), newUserId()).claims;
    const { created, conversation } = await this.deps.store.createConversation({ id: claims.conv, userId: claims.user, locale: options.locale });
    if (created) await this.deps.adapter.startConversation(conversation, this.deps.logic);
    return { ...(await this.tokenFor(caller, conversation)), created };
  }

  /** Reconnects to an existing conversation (the client then polls from its watermark). */
  async resumeConversation(caller: DirectLineCaller, conversationId: string): Promise<ConversationResponse> {
    const conversation = await this.conversationFor(caller, conversationId);
    return this.tokenFor(caller, conversation);
  }

  async postActivity(caller: DirectLineCaller, conversationId: string, body: ActivityBody): Promise<ResourceResponse> {
    // Direct Line 3.0's way for a client to end a conversation. The bot keeps no resources that
    // need it, so it is not given a turn; the customer's history stays until retention deletes it.
    if (body.type === 'endOfConversation') {
      await this.endConversation(caller, conversationId);
      return { id: newActivityId(conversationId) };
    }
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
    // A token's conversation was checked for having ended when the token was; the secret's is checked here.
    if (caller.kind === 'secret' && (await this.deps.store.getTokenState(conversationId)).closedAt !== undefined) throw ended();
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) throw new AppError('not_found', 'Unknown conversation');
    return conversation;
  }

  private generationInGrace(generation: number, state: TokenState): boolean {
    return generation === state.generation - 1 && state.previousValidUntil !== undefined && this.now() < state.previousValidUntil.getTime();
  }

  /** A stream goes on while its conversation is open and its token's generation is not retired (the secret's: while open). */
  private async streamStillAllowed(conversationId: string, generation: number | undefined): Promise<boolean> {
    const state = await this.deps.store.getTokenState(conversationId);
    if (state.closedAt !== undefined) return false;
    return generation === undefined || generation === state.generation || this.generationInGrace(generation, state);
  }

  private async tokenFor(caller: DirectLineCaller, conversation: DirectLineConversation): Promise<ConversationResponse> {
    if (caller.kind === 'token') {
      const expiresIn = Math.max(0, caller.claims.exp - Math.floor(this.now() / 1000));
      return { conversationId: conversation.id, token: caller.token, expires_in: expiresIn };
    }
    const { generation } = await this.deps.store.getTokenState(conversation.id);
    const issued = this.deps.tokens.issue(conversation.id, conversation.userId, generation);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expiresIn };
  }
}

function ended(): AppError {
  return new AppError('not_found', 'This conversation has ended');
}

function newConversationId(): string {
  return randomBytes(18).toString('base64url');
}

/** `dl_` marks a user id that only a token can carry (the Direct Line client honours this). */
function newUserId(): string {
  return `dl_${randomBytes(12).toString('base64url')}`;
}
