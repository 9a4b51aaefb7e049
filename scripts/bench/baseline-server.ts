/**
 * The two baselines of `npm run bench`, on the same restify set-up as the bot (src/server/create-server.ts:
 * security headers, content-type check, query and body parsers):
 *
 *   node scripts/bench/baseline-server.js echo  -> a bare botbuilder echo bot: CloudAdapter in the
 *        Emulator's unauthenticated mode, an ActivityHandler that echoes the text; POST /api/messages
 *   node scripts/bench/baseline-server.js plain -> a restify route answering fixed JSON (the HTTP stack's ceiling)
 *
 * PORT (default 0) is where it listens; it prints `listening <port>` on stdout when ready.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Request, Response } from 'restify';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server/create-server.js';

const kind = process.argv[2];
const server = createServer(createLogger('warn'));

if (kind === 'echo') {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error('echo bot turn failed', error.message);
    await context.sendActivity('error');
  };
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text ?? JSON.stringify(context.activity.value ?? null)}`);
    await next();
  });
  bot.onMembersAdded(async (context, next) => {
    await context.sendActivity('Hello');
    await next();
  });
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
} else if (kind === 'plain') {
  const body = { activities: [{ type: 'message', text: 'fixed' }] };
  server.post('/api/messages', async (_req: Request, res: Response) => {
    res.send(200, body);
  });
} else {
  console.error('usage: baseline-server echo|plain');
  process.exit(2);
}
server.get('/healthz', async (_req: Request, res: Response) => {
  res.send(200, { status: 'ok' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
