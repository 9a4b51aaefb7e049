/**
 * Reads how a conversation ended from what the customer was shown: the closing message, a
 * handoff (the reason's explanation and the first identity question or card), or the question
 * still being asked.
 */
import { HANDOFF_REASONS, type HandoffReason } from '../../flows/outcome.js';
import { HANDOFF_STATE_IDS } from '../../flows/troubleshooting/index.js';
import type { Localizer } from '../../src/i18n/i18n.js';
import type { SeenReply } from './bot-harness.js';
import { adaptiveCard, askedStep, shows, stepTexts, type Lang } from './reply-checks.js';

export type SeenOutcome = 'resolved' | `handoff:${HandoffReason}` | `at:${string}` | 'unclear';

export function outcomeOf(replies: readonly SeenReply[], localizer: Localizer, lang: Lang): SeenOutcome {
  const t = localizer.forLanguage(lang);
  if (shows(replies, t('common:resolvedClosing')) || shows(replies, t('common:anythingElse'))) return 'resolved';
  // The identity procedure, or the question asked before it (start now? a question or a change?).
  const identityStarted =
    shows(replies, t('identity:ask.email')) ||
    adaptiveCard(replies) !== undefined ||
    shows(replies, t('identity:offer.startNow')) ||
    shows(replies, t('identity:offer.contactOrProcedure'));
  if (identityStarted) {
    const reason = HANDOFF_REASONS.find((r) => stepTexts(localizer, lang, HANDOFF_STATE_IDS[r]).every((text) => shows(replies, text)));
    if (reason) return `handoff:${reason}`;
  }
  const step = askedStep(replies);
  return step ? `at:${step}` : 'unclear';
}
