import { ActionTypes, ActivityTypes, CardFactory, type Activity, type CardAction, type SuggestedActions } from 'botbuilder';
import type { Reply, ReplyButton } from '../conversation/reply.js';
import { freezeForReuse } from '../transcripts/reusable-parts.js';

/** Channels whose clients render Adaptive Cards (1.5) as attachments. */
const ADAPTIVE_CARD_CHANNELS = new Set(['local-webchat', 'webchat', 'directline', 'msteams', 'emulator']);

export function rendersAdaptiveCards(channelId: string | undefined): boolean {
  return ADAPTIVE_CARD_CHANNELS.has(channelId ?? '');
}

/**
 * Turns a channel-neutral reply into an Activity for the given channel.
 *
 * Buttons are `messageBack`: the customer sees the label as their own message, and the bot
 * receives the structured value (step + event), so a press on an old message is recognisable.
 * Teams shows suggested actions only in some scopes, so there the buttons go on a hero card.
 */
export function toActivity(reply: Reply, channelId: string | undefined): Partial<Activity> {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, text: reply.text };
  if (reply.card) {
    activity.attachments = [CardFactory.adaptiveCard(reply.card)];
  }
  if (reply.buttons && reply.buttons.length > 0) {
    if (channelId === 'msteams') {
      activity.attachments = [...(activity.attachments ?? []), CardFactory.heroCard('', reply.text, undefined, reply.buttons.map(toCardAction))];
      activity.text = '';
    } else {
      activity.suggestedActions = suggestedActions(reply.buttons);
    }
  }
  return activity;
}

/**
 * The suggested actions of a button list the conversation shares between replies (a step's
 * buttons, frozen: src/conversation/step-renderer.ts) are made once and shared too, frozen and
 * marked as a reusable part, so the transcript checks and serialises them once (issue 16). A list
 * made for one reply gets its own.
 */
const sharedSuggestions = new WeakMap<readonly ReplyButton[], SuggestedActions>();

function suggestedActions(buttons: readonly ReplyButton[]): SuggestedActions {
  if (!isFrozenList(buttons)) return { actions: buttons.map(toCardAction), to: [] };
  let shared = sharedSuggestions.get(buttons);
  if (!shared) sharedSuggestions.set(buttons, (shared = freezeForReuse({ actions: buttons.map(toCardAction), to: [] })));
  return shared;
}

function isFrozenList(buttons: readonly ReplyButton[]): boolean {
  return Object.isFrozen(buttons) && buttons.every((b) => Object.isFrozen(b) && Object.isFrozen(b.value));
}

function toCardAction(button: ReplyButton): CardAction {
  return {
    type: ActionTypes.MessageBack,
    title: button.title,
    text: button.title,
    displayText: button.title,
    value: button.value,
  };
}
