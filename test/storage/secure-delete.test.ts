import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BotHarness } from '../helpers/bot-harness.js';

const EMAIL = 'kanako.sato.unique42@example.org';

describe('identity claims of a cancelled verification', () => {
  it('leave no trace in the database file once the customer cancels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-secure-delete-'));
    const file = join(dir, 'bot.sqlite');
    const h = new BotHarness({ databaseFile: file, locale: 'en-US', channelId: 'test' });
    try {
      await h.join();
      await h.say('agent');
      await h.say('Start the procedure');
      await h.say(EMAIL);
      // While collecting, the answer is kept (a restart must not lose it)...
      h.services.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(file).includes(EMAIL)).toBe(true);
      // ...and after a cancel it is gone from the file, not just from the table.
      await h.say('cancel');
      h.services.db.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`)]);
      expect(bytes.includes(EMAIL)).toBe(false);
    } finally {
      h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
