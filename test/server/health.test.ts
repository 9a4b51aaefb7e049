/**
 * Liveness and readiness as an orchestrator sees them: /livez answers while the process runs;
 * /readyz (and /healthz, the same) says 503 and which check failed when the database is closed,
 * a migration is missing or the outbox dispatcher stopped, with nothing but check names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request, startApp, type RunningApp } from '../helpers/http-app.js';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('/livez, /readyz and /healthz', () => {
  it('all answer 200 on a running app; readiness lists its checks', async () => {
    running = await startApp();
    const live = await request(`${running.baseUrl}/livez`);
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
    for (const path of ['/readyz', '/healthz']) {
      const ready = await request(`${running.baseUrl}${path}`);
      expect(ready.status, path).toBe(200);
      expect(ready.json).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', outbox: 'ok' } });
    }
  });

  it('readiness fails (503, outbox) once the outbox dispatcher is stopped; liveness does not', async () => {
    running = await startApp();
    await running.app.notifications.stop();
    const ready = await request(`${running.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: 'ok', outbox: 'failed' } });
    expect((await request(`${running.baseUrl}/healthz`)).status).toBe(503);
    expect((await request(`${running.baseUrl}/livez`)).status).toBe(200);
    running.app.notifications.start();
    expect((await request(`${running.baseUrl}/readyz`)).status).toBe(200);
  });

  it('readiness fails (503, migrations) when a migration is not recorded as applied', async () => {
    running = await startApp();
    const last = running.app.db.prepare('SELECT id FROM schema_migrations ORDER BY rowid DESC LIMIT 1').get() as { id: string };
    running.app.db.prepare('DELETE FROM schema_migrations WHERE id = ?').run(last.id);
    const ready = await request(`${running.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: 'failed', outbox: 'ok' } });
    // Why goes to the log, once, not to the caller.
    expect(ready.text).not.toContain(last.id);
    await request(`${running.baseUrl}/readyz`);
    expect(running.logs.filter((l) => l.includes('readiness: check failed'))).toHaveLength(1);
  });

  it('readiness fails (503, database) once the database is closed, and says nothing of the error', async () => {
    running = await startApp();
    running.app.db.close();
    const ready = await request(`${running.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'unavailable', checks: { database: 'failed', migrations: 'failed' } });
    expect(ready.text).not.toMatch(/not open|sqlite|Error/i);
    expect((await request(`${running.baseUrl}/livez`)).status).toBe(200);
  });
});
