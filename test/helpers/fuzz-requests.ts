/**
 * fast-check generators of hostile HTTP requests for the fuzz test (issue 12): Bot Framework
 * activities for /api/messages, identity-card submissions, and local web chat (Direct Line)
 * requests. Requests name pooled conversations and tokens by index; the runner fills them in,
 * so one conversation receives many turns and its stored state goes through many shapes.
 */
import fc from 'fast-check';

/** Conversations on /api/messages the generated activities share. */
export const BOT_CONVERSATIONS = 40;
/** Web chat conversations started before the run, whose tokens requests may carry. */
export const WEBCHAT_CONVERSATIONS = 24;

/** What the bot itself understands: commands, answers, topics, in both languages. */
const MEANINGFUL = [
  'agent', '担当者', 'start over', '最初から', 'back', '戻る', 'english', '日本語', 'help', 'ticket status', '問い合わせ状況',
  'yes', 'no', 'はい', 'いいえ', '1', '2', '3', 'sms', 'SMSが届かない', 'I lost my phone', '認証アプリを消してしまった', 'cancel', 'skip',
  'jane@example.com', 'Jane Doe', '1990-01-31', '1234', 'I cannot log in since I changed phones.',
];

/** Strings that have broken software before: control and bidi characters, markup, templates, secrets. */
const NASTY = [
  '', ' ', '\u0000', '\u202e\u2066', '\uFEFF', '\uD800', '<script>alert(1)</script>', "'; DROP TABLE tickets; --", '{{ticketId}}',
  '$t(common:welcome)', '__proto__', 'constructor', '../../etc/passwd', '%s%s%n', '１２３４', '𠮷野家', '😀'.repeat(300), 'A'.repeat(12_000),
  'my code is 123456', 'otpauth://totp/X?secret=JBSWY3DPEHPK3PXP', 'password: hunter2',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...MEANINGFUL), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
);

const deepNesting = fc.integer({ min: 20, max: 400 }).map((depth) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown);

/** Any JSON value a client could send in place of the expected one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.array(hostileString, { maxLength: 4 }), weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

/** The bot's own button values, right and wrong. */
const buttonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ t: fc.constant('answer'), step: fc.oneof(fc.constantFrom('mainMenu', 'smsNotReceived', 'appDeleted', 'identityForm'), hostileString), event: fc.oneof(fc.constantFrom('answer.yes', 'answer.no', 'topic.smsNotReceived'), hostileString) }),
  fc.record({ t: fc.constant('command'), command: fc.oneof(fc.constantFrom('restart', 'back', 'agent', 'help', 'language', 'status'), hostileString), lang: fc.option(fc.constantFrom('ja', 'en', 'fr')) }),
  fc.record({ t: fc.constant('jump'), topic: fc.oneof(fc.constantFrom('smsNotReceived', 'lockout', 'codeRejected'), hostileString) }),
);

/** A field of the identity form: a plausible answer or anything at all. */
const claim = (plausible: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...plausible), weight: 3 }, { arbitrary: hostileValue, weight: 2 });

/** An identity card submission (`value.t === 'identity'`), well formed or not. */
export const identityFormValue: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      email: claim(['jane@example.com', 'yamada.taro@example.jp', 'Jane.Doe@Example.COM', 'not-an-address', 'a@b']),
      fullName: claim(['Jane Doe', '山田　太郎', 'X']),
      dateOfBirth: claim(['1990-01-31', '1985年4月1日', '1990/01/31', '2990-01-01', '1990-02-31']),
      phoneLast4: claim(['', '1234', '５６７８', '12']),
      description: claim(['I changed phones and the app is gone.', '機種変更でログインできません。', 'my code is 123456']),
      extra: hostileValue,
    },
    { requiredKeys: [] },
  )
  .map((v) => ({ t: 'identity', ...v }));

/** A key of the activity and what to do with it: replace with a hostile value, or delete. */
const mutation = fc.record({
  key: fc.constantFrom('type', 'id', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation', 'text', 'value', 'locale', 'timestamp',
    'localTimestamp', 'entities', 'attachments', 'channelData', 'membersAdded', 'membersRemoved', 'replyToId', 'name', 'textFormat', 'deliveryMode'),
  value: fc.option(hostileValue, { nil: undefined }),
});

export interface ActivitySpec {
  readonly kind: 'activity';
  /** Index into the pooled conversations. */
  readonly conversation: number;
  readonly activity: Record<string, unknown>;
  readonly mutations: readonly { key: string; value: unknown }[];
  /** Instead of an activity, this body as is (not an object, or not JSON at all). */
  readonly rawBody?: string;
}

export interface CardSpec {
  readonly kind: 'card';
  readonly conversation: number;
  /** Ask for a person first, so the conversation is at the form when the card arrives. */
  readonly agentFirst: boolean;
  readonly channelId: string;
  readonly locale: string;
  readonly value: Record<string, unknown>;
}

export type WebChatRoute = 'generate' | 'refresh' | 'start' | 'resume' | 'post' | 'list' | 'upload' | 'unknown';

export interface WebChatSpec {
  readonly kind: 'webchat';
  readonly route: WebChatRoute;
  /** A pooled conversation's token, the channel secret, nothing, or junk. */
  readonly auth: { readonly kind: 'token'; readonly i: number } | { readonly kind: 'secret' } | { readonly kind: 'none' } | { readonly kind: 'junk'; readonly header: string };
  /** The conversation in the path: the token's own, another pooled one, or junk. */
  readonly target: { readonly kind: 'own' } | { readonly kind: 'other'; readonly i: number } | { readonly kind: 'junk'; readonly id: string };
  readonly watermark?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
}

export type FuzzSpec = ActivitySpec | CardSpec | WebChatSpec;

const locale = fc.constantFrom('ja-JP', 'en-US', 'ja', 'en', 'fr-FR', 'en-GB', 'zz');
const channelId = fc.constantFrom('webchat', 'webchat', 'emulator', 'msteams', 'test', 'slack', 'directline');

const activitySpec: fc.Arbitrary<ActivitySpec> = fc
  .record({
    conversation: fc.integer({ min: 0, max: BOT_CONVERSATIONS - 1 }),
    type: fc.constantFrom('message', 'message', 'message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate'),
    channelId,
    text: fc.option(hostileString, { nil: undefined }),
    value: fc.option(fc.oneof(buttonValue, identityFormValue, hostileValue), { nil: undefined }),
    locale: fc.option(locale, { nil: undefined }),
    membersAdded: fc.option(fc.constant([{ id: 'fuzz-user' }]), { nil: undefined }),
    mutations: fc.array(mutation, { maxLength: 3 }),
    raw: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('{', '{"type":', 'null', '[]', '"x"', '{"type":"message"}{}', '\u0000')), { freq: 20, nil: undefined }),
  })
  .map(({ conversation, mutations, raw, ...fields }) => ({
    kind: 'activity' as const,
    conversation,
    activity: fields,
    mutations,
    ...(raw !== undefined ? { rawBody: raw } : {}),
  }));

const cardSpec: fc.Arbitrary<CardSpec> = fc.record({
  kind: fc.constant('card' as const),
  conversation: fc.integer({ min: 0, max: BOT_CONVERSATIONS - 1 }),
  agentFirst: fc.boolean(),
  channelId: fc.constantFrom('webchat', 'msteams', 'emulator'),
  locale: fc.constantFrom('ja-JP', 'en-US'),
  value: identityFormValue,
});

/** What the web chat client posts as an activity, and what it should not. */
const webChatActivityBody: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.record(
      {
        type: fc.oneof({ arbitrary: fc.constantFrom('message', 'message', 'message', 'event', 'typing'), weight: 9 }, { arbitrary: fc.constant('endOfConversation'), weight: 1 }, { arbitrary: hostileValue, weight: 2 }),
        text: hostileValue,
        value: fc.oneof(buttonValue, identityFormValue, hostileValue),
        locale: fc.oneof(locale, hostileValue),
        from: fc.oneof(fc.record({ id: hostileString, name: hostileString }), hostileValue),
        channelData: fc.oneof(fc.record({ clientActivityID: hostileString }), hostileValue),
        entities: fc.oneof(fc.array(fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 }), { maxLength: 3 }), hostileValue),
        attachments: hostileValue,
        name: hostileValue,
      },
      { requiredKeys: ['type'] },
    ), weight: 8 },
  { arbitrary: hostileValue, weight: 2 },
);

const webChatSpec: fc.Arbitrary<WebChatSpec> = fc
  .record({
    route: fc.constantFrom<WebChatRoute>('generate', 'refresh', 'start', 'resume', 'post', 'post', 'post', 'list', 'list', 'upload', 'unknown'),
    auth: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: WEBCHAT_CONVERSATIONS - 1 }).map((i) => ({ kind: 'token' as const, i })), weight: 8 },
      { arbitrary: fc.constant({ kind: 'secret' as const }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
      { arbitrary: fc.oneof(hostileString.map((s) => `Bearer ${s}`), fc.constantFrom('Bearer', 'Basic abc', 'Bearer a.b.c', 'bearer eyJhbGciOiJub25lIn0.e30.')).map((header) => ({ kind: 'junk' as const, header })), weight: 2 },
    ),
    target: fc.oneof(
      { arbitrary: fc.constant({ kind: 'own' as const }), weight: 8 },
      { arbitrary: fc.integer({ min: 0, max: WEBCHAT_CONVERSATIONS - 1 }).map((i) => ({ kind: 'other' as const, i })), weight: 1 },
      { arbitrary: fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('..', '%00', 'a'.repeat(70), 'AAAAAAAAAAAAAAAAAAAA')).map((id) => ({ kind: 'junk' as const, id })), weight: 1 },
    ),
    watermark: fc.option(fc.oneof(fc.nat({ max: 50 }).map(String), fc.string({ maxLength: 20 }), fc.constantFrom('-1', '1e9', '999999999999999999')), { nil: undefined }),
    body: fc.option(webChatActivityBody, { nil: undefined }),
    raw: fc.option(fc.constantFrom('{', 'not json', '[1,2', '\u0000', '{"type":"message","text":'), { freq: 15, nil: undefined }),
  })
  .map(({ raw, body, watermark, ...rest }) => ({
    kind: 'webchat' as const,
    ...rest,
    ...(watermark !== undefined ? { watermark } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(raw !== undefined ? { rawBody: raw } : {}),
  }));

/** The mix: activities, card submissions and web chat requests. */
export const fuzzSpec: fc.Arbitrary<FuzzSpec> = fc.oneof(
  { arbitrary: activitySpec, weight: 4 },
  { arbitrary: cardSpec, weight: 3 },
  { arbitrary: webChatSpec, weight: 3 },
);
