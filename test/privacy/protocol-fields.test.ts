import { describe, expect, it } from 'vitest';
import { isProtocolShaped } from '../../src/privacy/protocol-fields.js';

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
