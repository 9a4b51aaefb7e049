import { describe, expect, it } from 'vitest';
import { isProtocolShaped } from '../../src/privacy/protocol-fields.js';
import { PROTOCOL_KEYS, redactDeep } from '../../src/privacy/sanitize.js';

describe('isProtocolShaped', () => {
  it('answers a repeated value as the first time, per key (values found shaped are remembered)', () => {
    // A setup key as a whole: kept as a routing id (random ids read like one), refused as an eTag.
    for (let round = 0; round < 3; round++) {
      expect(isProtocolShaped('id', 'JBSWY3DPEHPK3PXP')).toBe(true);
      expect(isProtocolShaped('etag', 'JBSWY3DPEHPK3PXP')).toBe(false);
      expect(isProtocolShaped('conversationId', 'conv|0000123456')).toBe(true);
      expect(isProtocolShaped('localTimezone', 'Asia/Tokyo')).toBe(true);
      expect(isProtocolShaped('id', 'pw:hunter2-123456')).toBe(false);
    }
  });
});

describe('the fields botbuilder and the channels fill on every activity (issue 16)', () => {
  it('keeps their real values without the detectors, and redacts anything else put there', () => {
    const real = {
      rawTimestamp: '2026-11-30T20:15:57.379Z',
      rawLocalTimestamp: '2026-12-01T05:15:57.379+09:00',
      deliveryMode: 'expectReplies',
      inputHint: 'acceptingInput',
      textFormat: 'markdown',
      importance: 'high',
      callerId: 'urn:botframework:azure',
    };
    for (const [key, value] of Object.entries(real)) expect(isProtocolShaped(key, value), key).toBe(true);
    expect(isProtocolShaped('callerId', 'urn:botframework:aadappid:72f988bf-86f1-41af-91ab-2d7cd011db47')).toBe(true);
    // Forgeries that look like the field: a setup key or a code riding in a caller id or a time.
    const keyInCallerId = 'urn:botframework:JBSWY3DPEHPK3PXPJBSWY3DP';
    expect(isProtocolShaped('callerId', keyInCallerId)).toBe(false);
    expect(JSON.stringify(redactDeep({ channelData: { callerId: keyInCallerId } }).value)).not.toContain('JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(isProtocolShaped('deliveryMode', 'expectReplies482913')).toBe(false);
    const crafted = Object.fromEntries(Object.keys(real).map((key) => [key, 'password: Kitsune!55 code 482913']));
    const { value } = redactDeep(crafted);
    for (const [key, v] of Object.entries(value)) {
      expect(v, key).not.toContain('Kitsune');
      expect(v, key).not.toContain('482913');
    }
  });

  it('gives every protocol key a shape: a key without one would have all its values redacted like text', () => {
    const samples: Record<string, string> = {
      id: '1:1abcDEF', replyToId: 'conv|0000012', conversationId: 'a:1Xyz', activityId: '1596175823123', clientActivityID: 'abc123',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', aadObjectId: '00000000-0000-0000-0000-000000000001', etag: '*', eTag: 'W/"1"',
      type: 'message', locale: 'ja-JP', timestamp: '2026-11-30T20:15:57Z', localTimestamp: '2026-12-01T05:15:57+09:00',
      localTimezone: 'Asia/Tokyo', serviceUrl: 'https://smba.trafficmanager.net/jp/', channelId: 'msteams', contentType: 'text/plain',
      role: 'user', rawTimestamp: '2026-11-30T20:15:57.379Z', rawLocalTimestamp: '2026-12-01T05:15:57.379+09:00',
      rawExpiration: '2026-12-01T00:00:00Z', expiration: '2026-12-01T00:00:00Z', deliveryMode: 'normal', inputHint: 'expectingInput',
      textFormat: 'plain', importance: 'low', callerId: 'urn:botframework:azure',
    };
    for (const key of PROTOCOL_KEYS) {
      expect(samples[key], `a sample for ${key}`).toBeDefined();
      expect(isProtocolShaped(key, samples[key]!), key).toBe(true);
    }
  });
});

describe('values remembered as shaped (issue 16)', () => {
  it('a value kept under one key is kept under another of the same kind, and still judged by its own shape elsewhere', () => {
    // Asked twice each, so the second answer is the remembered one.
    for (let i = 0; i < 2; i++) {
      expect(isProtocolShaped('id', 'conv|0001-abc')).toBe(true);
      expect(isProtocolShaped('replyToId', 'conv|0001-abc')).toBe(true);
      expect(isProtocolShaped('type', 'conv|0001-abc')).toBe(false);
      expect(isProtocolShaped('channelId', 'conv|0001-abc')).toBe(false);
      expect(isProtocolShaped('eTag', 'W/"conv-1"')).toBe(true);
      expect(isProtocolShaped('id', 'W/"conv-1"')).toBe(false);
    }
  });

  it('a code in an id-shaped value is refused under every key of that kind, however often it comes', () => {
    for (let i = 0; i < 2; i++) for (const key of ['id', 'replyToId', 'conversationId']) expect(isProtocolShaped(key, '482913'), key).toBe(false);
  });
});
