import { describe, expect, it } from 'vitest';
import { redactDeep, sanitizeForStorage } from '../../src/privacy/sanitize.js';
import { SECRET_CORPUS } from './secret-corpus.js';

describe('sanitizeForStorage', () => {
  it('redacts secrets, then masks personal data, and reports kinds only', () => {
    const result = sanitizeForStorage('code 123456, mail taro@example.com, tel 090-1234-5678, pw: hunter2');
    expect(result).toEqual({
      text: 'code [redacted:otp], mail t***@e***.com, tel ***-****-5678, pw: [redacted:password]',
      found: ['password', 'otp'],
      masked: ['email', 'phone'],
    });
  });

  it('is idempotent', () => {
    for (const { text } of SECRET_CORPUS) {
      const once = sanitizeForStorage(text).text;
      expect(sanitizeForStorage(once)).toEqual({ text: once, found: [], masked: [] });
    }
  });
});

describe('redactDeep', () => {
  const activity = {
    type: 'message',
    id: 'abc|0000123',
    timestamp: new Date('2025-01-01T00:00:00Z'),
    channelId: 'webchat',
    from: { id: 'dl_123456', name: 'Taro', role: 'user' },
    conversation: { id: '123456789' },
    text: 'my code is 123456 and my mail is taro@example.com',
    value: { description: 'seed: hurdle foster skin craft box another sea mix cost gorilla barrel bracket', phoneLast4: '5678' },
    attachments: [{ contentType: 'text/plain', content: 'otpauth://totp/X?secret=JBSWY3DPEHPK3PXP' }],
    entities: [],
    count: 123456,
    flag: true,
    nothing: null,
  };

  it('sanitises every string but protocol identifiers, without changing the input', () => {
    const before = structuredClone(activity);
    const { value, found, masked } = redactDeep(activity);
    expect(activity).toEqual(before);
    expect(value.text).toBe('my code is [redacted:otp] and my mail is t***@e***.com');
    expect(value.value.description).toBe('seed: [redacted:seed_phrase]');
    expect(value.value.phoneLast4).toBe('5678');
    expect(value.attachments[0]?.content).toBe('[redacted:otpauth_uri]');
    expect(value.attachments[0]?.contentType).toBe('text/plain');
    expect(value.id).toBe('abc|0000123');
    expect(value.from.id).toBe('dl_123456');
    expect(value.conversation.id).toBe('123456789');
    expect(value.timestamp).toBe(activity.timestamp);
    expect(value.count).toBe(123456);
    expect(value.nothing).toBeNull();
    expect(found.sort()).toEqual(['otp', 'otpauth_uri', 'seed_phrase']);
    expect(masked).toEqual(['email']);
  });

  it('can sanitise protocol keys too, and handles arrays and repeated references', () => {
    const shared = { note: 'pw: hunter2' };
    const input = { id: '123456', list: ['123456', shared, shared] };
    const { value } = redactDeep(input, { skipKeys: new Set() });
    expect(value).toEqual({
      id: '[redacted:otp]',
      list: ['[redacted:otp]', { note: 'pw: [redacted:password]' }, { note: 'pw: [redacted:password]' }],
    });
  });

  it("keeps a '__proto__' key from JSON as a plain key, its strings sanitised, never as the copy's prototype", () => {
    const input = JSON.parse('{"__proto__": {"note": "password: Kitsune!55"}, "text": "code 123456"}') as Record<string, unknown>;
    const { value } = redactDeep(input);
    const out = value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'text']);
    expect(JSON.stringify(out)).not.toContain('Kitsune!55');
    expect(JSON.stringify(out)).toContain('[redacted:password]');
    expect(out['text']).toBe('code [redacted:otp]');
  });

  it('survives cycles', () => {
    const node: { text: string; self?: unknown } = { text: '654321' };
    node.self = node;
    const { value } = redactDeep(node);
    expect(value.text).toBe('[redacted:otp]');
    expect(value.self).toBe(value);
  });

  it('can skip masking', () => {
    expect(redactDeep({ t: 'taro@example.com 123456' }, { mask: false }).value).toEqual({
      t: 'taro@example.com [redacted:otp]',
    });
  });
});
