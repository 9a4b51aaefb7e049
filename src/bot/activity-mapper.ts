import { ActionTypes, ActivityTypes, CardFactory, type Activity, type CardAction } from 'botbuilder';
import type { Reply, ReplyButton } from '../conversation/reply.js';

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
    const actions = reply.buttons.map(toCardAction);
    if (channelId === 'msteams') {
      activity.attachments = [...(activity.attachments ?? []), CardFactory.heroCard('', reply.text, undefined, actions)];
      activity.text = '';
    } else {
      activity.suggestedActions = { actions, to: [] };
    }
  }
  return activity;
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
