import type { Activity } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ALL_MIGRATIONS, createBotServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { openDatabase } from '../src/storage/database.js';
import { openTranscriptDatabase, readWholeTranscript, SqliteTranscriptStore } from '../src/transcripts/index.js';

it('closing the services writes the transcript activities still queued before the database closes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-services-'));
  const file = join(dir, 'bot.sqlite');
  const services = createBotServices(loadConfig({ DATABASE_FILE: file, LOG_LEVEL: 'silent' }), silentLogger);
  const logged = services.transcripts.logActivity({
    type: 'message',
    channelId: 'webchat',
    conversation: { id: 'closing' },
    from: { id: 'u', role: 'user' },
    text: 'last words',
  } as Activity);
  // Same tick: the queue has not been written by the event loop yet.
  services.close();
  await logged;
  const db = openDatabase(file, ALL_MIGRATIONS);
  // The transcripts' own file (written on the transcript writer's thread).
  const transcripts = openTranscriptDatabase(file, db);
  expect((await readWholeTranscript(new SqliteTranscriptStore(transcripts), 'webchat', 'closing')).map((a) => a.text)).toEqual(['last words']);
  transcripts.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
