/**
 * The TranscriptLog port on SQLite and PostgreSQL (the same contract), botbuilder's TranscriptStore
 * contract over the PostgreSQL log, and two instances recording one conversation at once.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import {
  listAllConversations,
  PostgresTranscriptLog,
  postgresTranscriptMigrations,
  readWholeConversation,
  SqliteTranscriptLog,
  TranscriptLogStore,
  transcriptMigrations,
} from '../../src/transcripts/index.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { describeTranscriptLogContract } from './transcript-log.contract.js';
import { describeTranscriptStoreContract } from './transcript-store.contract.js';

describeTranscriptLogContract('SQLite', async () => {
  const db = openDatabase(':memory:', transcriptMigrations);
  return {
    log: new SqliteTranscriptLog(db),
    close: () => {
      db.close();
    },
  };
});

describe.skipIf(skipPostgres())('PostgresTranscriptLog', () => {
  const db = usePostgresSchema(postgresTranscriptMigrations);

  describeTranscriptLogContract('PostgreSQL', async () => ({ log: new PostgresTranscriptLog(db.pool) }));
  describeTranscriptStoreContract('TranscriptLogStore over PostgresTranscriptLog', async () => ({ store: new TranscriptLogStore(new PostgresTranscriptLog(db.pool)) }));

  it('two instances recording one conversation at once keep every activity and the right figures', async () => {
    const other = poolIn(db.schema);
    try {
      const logs = [new PostgresTranscriptLog(db.pool, { maxBatch: 3 }), new PostgresTranscriptLog(other, { maxBatch: 3 })];
      const t0 = Date.UTC(2025, 0, 1);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          logs[i % 2]!.append({ type: 'message', channelId: 'test', conversation: { id: i % 4 === 0 ? 'c2' : 'c1' }, text: `m${i}`, timestamp: new Date(t0 + i) }),
        ),
      );
      const c1 = await readWholeConversation(logs[1]!, 'test', 'c1');
      expect(c1).toHaveLength(30);
      // One instance's activities keep their order.
      const fromFirst = c1.map((a) => Number(String(a['text']).slice(1))).filter((i) => i % 2 === 0);
      expect(fromFirst).toEqual([...fromFirst].sort((a, b) => a - b));
      expect(await listAllConversations(logs[0]!)).toMatchObject([
        { conversationId: 'c1', activityCount: 30, firstActivityAt: new Date(t0 + 1), lastActivityAt: new Date(t0 + 39) },
        { conversationId: 'c2', activityCount: 10, firstActivityAt: new Date(t0), lastActivityAt: new Date(t0 + 36) },
      ].sort((a, b) => a.firstActivityAt.getTime() - b.firstActivityAt.getTime()));
    } finally {
      await other.end();
    }
  });
});
