import { LOCALES_DIR, troubleshootingFlow } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { FlowSession } from '../../src/conversation/flow-session.js';
import { StepRenderer } from '../../src/conversation/step-renderer.js';
import type { Turn, TurnInput } from '../../src/conversation/turn.js';
import { emptyPlan } from '../../src/conversation/turn-plan.js';
import { TurnRenderer } from '../../src/conversation/turn-renderer.js';
import { createLocalizer, type Language } from '../../src/i18n/i18n.js';

export const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
export const renderer = new TurnRenderer(new StepRenderer(localizer));
export const t = (lang: Language) => localizer.forLanguage(lang);

export const customer = { channelId: 'test', userId: 'u1', conversationId: 'c1', conversationReference: {} };

/** A turn at the troubleshooting main menu, before anything was decided. */
export function menuTurn(lang: Language = 'en', input: Partial<TurnInput> = {}): Turn {
  return {
    input: { kind: 'message', customer, ...input },
    data: { lang, langChosen: false, langFromText: false, welcomed: true, secretsNoticeShown: false },
    session: FlowSession.start(troubleshootingFlow),
    plan: emptyPlan(),
    facts: {},
  };
}

/** The texts a customer would read for this turn, with troubleshooting's navigation. */
export function textsOf(turn: Turn): string[] {
  return renderer.render(turn, { navigation: 'question' }).map((r) => r.text);
}
