import type { Activity } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { ALL_MIGRATIONS, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/storage/database.js';
import { SqliteTranscriptStore } from '../../src/transcripts/index.js';

it('start-up deletes transcripts older than TRANSCRIPT_RETENTION_DAYS and logs how many', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-retention-'));
  const file = join(dir, 'bot.sqlite');
  const db = openDatabase(file, ALL_MIGRATIONS);
  const store = new SqliteTranscriptStore(db);
  const day = 86_400_000;
  const log = (conversation: string, daysAgo: number) =>
    store.logActivity({
      type: 'message',
      channelId: 'webchat',
      conversation: { id: conversation },
      from: { id: 'u', role: 'user' },
      text: 'hi',
      timestamp: new Date(Date.now() - daysAgo * day),
    } as Activity);
  await log('old', 40);
  await log('old', 31);
  await log('recent', 2);
  db.close();

  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = createApp(loadConfig({ DATABASE_FILE: file, TRANSCRIPT_RETENTION_DAYS: '30' }), createLogger('info', sink));
  expect(app.transcripts.summaries().map((s) => s.conversationId)).toEqual(['recent']);
  const purge = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'transcript retention purge');
  expect(purge).toMatchObject({ retentionDays: 30, activities: 2, transcripts: 1 });
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});
