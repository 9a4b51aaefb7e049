/**
 * The plain-check fast path of the activity schema against the schema itself: on every body tried
 * (the benchmark's conversations as channels send them, then each field and nested field set to
 * wrong types, lengths, URLs, dates and depths), the fast path answers what zod answers. Were it
 * to accept a body the schema refuses, a malformed activity would reach the bot.
 */
import { describe, expect, it } from 'vitest';
import { activityFor, loadConversations } from '../../scripts/bench/conversations.js';
import { ActivitySchema, isPlainlyValidActivity, MAX_JSON_DEPTH, PLAINLY_CHECKED_FIELDS } from '../../src/server/activity-schema.js';

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { d: nested(depth - 1) });
const long = (n: number) => 'a'.repeat(n);

/** Values every field is tried with: each type, the length limits either side, odd URLs and dates. */
const PALETTE: readonly unknown[] = [
  undefined, null, 0, 7, true, false, '', 'x', 'message', long(64), long(65), long(256), long(257), long(512), long(513), long(1024), long(1025), long(2048), long(2049),
  'not a url', 'javascript:alert(1)', 'ftp://example.com', 'http://127.0.0.1:1', 'https://smba.trafficmanager.net/apac/', 'yesterday', '2026-12-01T04:37:47.682Z', '2026-12-01',
  [], ['file'], [{}], [{ id: 'u' }], [{ id: '' }], [{ type: 'mention' }], Array.from({ length: 51 }, () => ({})), Array.from({ length: 101 }, () => ({ id: 'u' })),
  {}, { id: 'c' }, { id: '' }, { id: 1 }, { id: 'c', isGroup: 'yes' }, { id: 'c', name: long(257) }, { id: 'u', role: 'user', aadObjectId: 5 },
  nested(MAX_JSON_DEPTH - 1), nested(MAX_JSON_DEPTH), nested(MAX_JSON_DEPTH + 1), [nested(MAX_JSON_DEPTH)], { contentType: 'image/png', contentUrl: long(2049) },
];

const NESTED_PATHS: readonly (readonly string[])[] = [
  ['from', 'id'], ['from', 'name'], ['from', 'role'], ['recipient', 'id'], ['conversation', 'id'], ['conversation', 'isGroup'], ['conversation', 'tenantId'],
  ['attachments', '0', 'contentUrl'], ['attachments', '0', 'contentType'], ['entities', '0', 'type'], ['membersAdded', '0', 'id'], ['channelData', 'x'], ['value', 'step'],
];

/** The activities channels send: the benchmark's conversations, a Teams message, a web chat message with a card value. */
function realActivities(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const c of loadConversations()) for (const t of c.turns) out.push(activityFor(t, `c-${out.length}`, 'http://127.0.0.1:9/'));
  out.push({
    type: 'message', id: '1670000000000', timestamp: '2026-12-01T04:37:47.682Z', localTimestamp: '2026-12-01T13:37:47.682+09:00', localTimezone: 'Asia/Tokyo',
    serviceUrl: 'https://smba.trafficmanager.net/apac/', channelId: 'msteams', from: { id: '29:1abc', name: 'Taro', aadObjectId: 'a-b-c' },
    conversation: { conversationType: 'personal', tenantId: 't-1', id: 'a:1xyz' }, recipient: { id: '28:bot', name: 'Support' }, textFormat: 'plain', locale: 'ja-JP', text: 'コードが違うと言われます',
    attachments: [{ contentType: 'text/html', content: '<p>コード</p>' }], entities: [{ locale: 'ja-JP', country: 'JP', platform: 'Windows', timezone: 'Asia/Tokyo', type: 'clientInfo' }],
    channelData: { tenant: { id: 't-1' } },
  });
  out.push({
    type: 'message', id: 'w-1', channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/', from: { id: 'dl_1', role: 'user' }, conversation: { id: 'w-c' },
    value: { t: 'answer', step: 'mainMenu', event: 'topic.appDeleted' }, channelData: { clientActivityID: 'x1' }, entities: [{ type: 'ClientCapabilities', requiresBotState: true }],
    membersAdded: [{ id: 'dl_1' }], reactionsAdded: [{ type: 'like' }], replyToId: 'r-1', callerId: 'urn:botframework:azure', relatesTo: { activityId: 'a' },
  });
  return out;
}

function withField(base: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = /^\d+$/.test(path[path.indexOf(key) + 1] ?? '') ? [{}] : {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

describe('the activity schema\'s fast path', () => {
  it('checks exactly the schema\'s fields', () => {
    expect([...PLAINLY_CHECKED_FIELDS].sort()).toEqual(Object.keys(ActivitySchema.shape).sort());
  });

  it('accepts every activity the channels and the benchmark send, as the schema does', () => {
    for (const a of realActivities()) {
      expect(ActivitySchema.safeParse(a).success, JSON.stringify(a)).toBe(true);
      expect(isPlainlyValidActivity(a), JSON.stringify(a)).toBe(true);
    }
  });

  it('answers what the schema answers for each field set to each odd value, and for random mixes of them', () => {
    const bases = realActivities();
    const paths = [...PLAINLY_CHECKED_FIELDS.map((f) => [f]), ...NESTED_PATHS];
    let refused = 0;
    const check = (body: unknown) => {
      const zod = ActivitySchema.safeParse(body).success;
      expect(isPlainlyValidActivity(body), String(JSON.stringify(body)).slice(0, 300)).toBe(zod);
      if (!zod) refused++;
    };
    const base = bases[bases.length - 1]!;
    for (const path of paths) for (const value of PALETTE) check(withField(base, path, value));
    const next = random(20261201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    for (let i = 0; i < 3000; i++) {
      let body = pick(bases);
      const changes = 1 + Math.floor(next() * 3);
      for (let c = 0; c < changes; c++) body = withField(body, pick(paths), pick(PALETTE));
      check(body);
    }
    for (const body of [null, undefined, 'message', 42, [], [base], Object.create({ type: 'message' })]) check(body);
    // The mutations must refuse often, or the comparison proves little.
    expect(refused).toBeGreaterThan(1000);
  });
});
