import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendError } from './http-error.js';

/**
 * The least an activity needs before botbuilder sees it: botbuilder answers 500 to an
 * activity without `type`, and a conversation id is needed for the state key and the lock.
 */
const ActivityEnvelope = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64).optional(),
    conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    // Long texts are answered (the bot reads only the start); the body limit bounds the size.
    text: z.string().optional(),
  })
  .passthrough();

/** `POST /api/messages`: the Bot Framework endpoint (Azure Bot Service, Teams, the Emulator). */
export function registerMessagesRoute(server: Server, adapter: CloudAdapter, bot: ActivityHandler, logger: Logger): void {
  server.post('/api/messages', async (req: Request, res: Response) => {
    const parsed = ActivityEnvelope.safeParse(req.body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))];
      sendError(res, new AppError('invalid_input', 'Not a valid activity', { fields }), logger);
      return;
    }
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (err) {
      if (!res.headersSent) sendError(res, err, logger);
      else logger.error({ err: { message: (err as Error).message } }, 'activity processing failed after reply');
    }
  });
}
