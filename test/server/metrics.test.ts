/**
 * GET /metrics as a Prometheus server would read it (a real text-format parser): the families
 * operations watch, a turn over /api/messages moving them, and the three ways the endpoint is
 * exposed (a token on the public port, an internal listener, or not at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { HANDOFF_REASONS } from '../../flows/outcome.js';
import { expectRepliesActivity } from '../helpers/child-server.js';
import { postActivity, request, startApp, type RunningApp } from '../helpers/http-app.js';
import { labelValues, parseMetrics, valueOf, type Exposition } from '../helpers/prometheus.js';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

/** One message from the Bot Framework web chat channel, answered in the HTTP response. */
const message = (conversationId: string, text: string) => expectRepliesActivity(conversationId, { text });

async function scrape(running: RunningApp, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }): Promise<Exposition> {
  const answer = await request(`${running.baseUrl}/metrics`, { headers });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(answer.text);
}

describe('GET /metrics with METRICS_TOKEN on the public port', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => running.stop());

  it('refuses a scrape without the token or with another one (401), and serves it with the token', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token' }, { Authorization: `Bearer ${TOKEN}x` }, { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const answer = await request(`${running.baseUrl}/metrics`, { headers });
      expect(answer.status, JSON.stringify(headers)).toBe(401);
      expect(answer.json).toMatchObject({ code: 'unauthorized' });
      expect(answer.text).not.toContain('supportbot_');
    }
    const { families } = await scrape(running);
    expect(families.size).toBeGreaterThan(10);
  });

  it('has every family operations watch, with its type, and the closed label sets at zero', async () => {
    const exposition = await scrape(running);
    const { families } = exposition;
    const types = Object.fromEntries(
      [
        'supportbot_turn_duration_seconds',
        'supportbot_turns_total',
        'supportbot_turn_errors_total',
        'supportbot_active_conversations',
        'supportbot_tickets',
        'supportbot_handoffs_total',
        'supportbot_outbox_backlog',
        'supportbot_outbox_failed',
        'supportbot_webchat_connections',
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
      ].map((name) => [name, families.get(name)?.type]),
    );
    expect(types).toEqual({
      supportbot_turn_duration_seconds: 'HISTOGRAM',
      supportbot_turns_total: 'COUNTER',
      supportbot_turn_errors_total: 'COUNTER',
      supportbot_active_conversations: 'GAUGE',
      supportbot_tickets: 'GAUGE',
      supportbot_handoffs_total: 'COUNTER',
      supportbot_outbox_backlog: 'GAUGE',
      supportbot_outbox_failed: 'GAUGE',
      supportbot_webchat_connections: 'GAUGE',
      process_cpu_user_seconds_total: 'COUNTER',
      process_resident_memory_bytes: 'GAUGE',
      nodejs_eventloop_lag_seconds: 'GAUGE',
      nodejs_heap_size_used_bytes: 'GAUGE',
    });
    expect(families.get('supportbot_active_conversations')?.help).toMatch(/last 15 minutes in this instance/);
    expect(labelValues(exposition, 'supportbot_tickets', 'status').sort()).toEqual([...TICKET_STATUSES].sort());
    expect(labelValues(exposition, 'supportbot_handoffs_total', 'reason').sort()).toEqual([...HANDOFF_REASONS].sort());
    expect(valueOf(exposition, 'supportbot_webchat_connections')).toBe(0);
    expect(valueOf(exposition, 'supportbot_outbox_backlog')).toBe(0);
    expect(valueOf(exposition, 'supportbot_outbox_failed')).toBe(0);
  });

  it('a turn over /api/messages moves the turn histogram, the turn counter and the active conversations; its text is nowhere', async () => {
    const before = await scrape(running);
    const text = 'my code is not accepted zebra-7431';
    const answer = await postActivity(running.baseUrl, message('metrics-conv-1', text));
    expect(answer.status, answer.text).toBe(200);
    await postActivity(running.baseUrl, message('metrics-conv-2', 'hello'));
    await postActivity(running.baseUrl, message('metrics-conv-2', 'hello again'));
    const after = await running.app.metrics.metrics();
    expect(after).not.toContain('zebra-7431');
    expect(after).not.toContain('metrics-conv-');
    const exposition = parseMetrics(after);
    const webchat = { channel: 'webchat' };
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(exposition, name, labels) - valueOf(before, name, labels);
    expect(moved('supportbot_turn_duration_seconds_count', webchat)).toBe(3);
    expect(moved('supportbot_turns_total', webchat)).toBe(3);
    expect(moved('supportbot_turn_errors_total', webchat)).toBe(0);
    expect(moved('supportbot_active_conversations')).toBe(2);
    // Every turn took some time, and less than the largest bucket.
    expect(moved('supportbot_turn_duration_seconds_sum', webchat)).toBeGreaterThan(0);
    expect(moved('supportbot_turn_duration_seconds_bucket', { ...webchat, le: '30' })).toBe(3);
  });

  it('a failed turn counts as an error of its channel; a made-up channel id is counted as "other"', async () => {
    const before = await scrape(running);
    const engine = running.app.engine;
    const handle = engine.handle;
    engine.handle = async () => {
      throw new Error('ticket store unavailable');
    };
    try {
      const answer = await postActivity(running.baseUrl, message('metrics-failing', 'hello'));
      expect(answer.status).toBe(200);
    } finally {
      engine.handle = handle;
    }
    await postActivity(running.baseUrl, { ...message('metrics-other', 'hello'), channelId: 'made-up-channel-<script>' });
    const after = await scrape(running);
    const webchat = { channel: 'webchat' };
    expect(valueOf(after, 'supportbot_turn_errors_total', webchat) - valueOf(before, 'supportbot_turn_errors_total', webchat)).toBe(1);
    expect(valueOf(after, 'supportbot_turns_total', { channel: 'other' }) - valueOf(before, 'supportbot_turns_total', { channel: 'other' })).toBe(1);
    expect(labelValues(after, 'supportbot_turns_total', 'channel')).not.toContain('made-up-channel-<script>');
  });
});

describe('GET /metrics with neither METRICS_TOKEN nor METRICS_PORT', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.stop());

  it('is not served on the public port (404, as an unknown path), with or without a token, and the start-up log says why', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${TOKEN}` }];
    for (const headers of attempts) {
      const answer = await request(`${running.baseUrl}/metrics`, { headers });
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain('supportbot_');
    }
    expect(running.logs.join('')).toMatch(/"level":40,.*GET \/metrics is not served: set METRICS_TOKEN/);
  });
});

describe('GET /metrics on the internal listener (METRICS_PORT)', () => {
  it('serves /metrics there without a token, nothing else, and not on the public port', async () => {
    const running = await startApp({ METRICS_HOST: '127.0.0.1', METRICS_PORT: '0' });
    try {
      const url = await running.app.metricsListener!.listen();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const answer = await request(url);
      expect(answer.status).toBe(200);
      expect(parseMetrics(answer.text).families.get('supportbot_turns_total')?.type).toBe('COUNTER');
      expect((await request(url.replace('/metrics', '/api/messages'), { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await request(url.replace('/metrics', '/healthz'))).status).toBe(404);
      expect((await request(`${running.baseUrl}/metrics`)).status).toBe(404);
      expect(running.logs.join('')).not.toContain('GET /metrics is not served');
    } finally {
      await running.stop();
    }
  });

  it('asks for the token there too when METRICS_TOKEN is set, and stops listening when the app closes', async () => {
    const running = await startApp({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    const url = await running.app.metricsListener!.listen();
    expect((await request(url)).status).toBe(401);
    expect((await request(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await request(`${running.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    await running.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
