/**
 * The agents' Teams channel as the fake connector sees it: the alert cards the bot POSTed into that
 * conversation and the PUTs that replaced them in place.
 */
import type { FakeConnector, ReceivedActivity } from './running-app.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

const inConversation = (conversationId: string) => (r: ReceivedActivity) =>
  r.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/`);

/** Every request the bot made into the conversation, whatever it was. */
export function requestsTo(connector: FakeConnector, conversationId: string): ReceivedActivity[] {
  return connector.received.filter(inConversation(conversationId));
}

/** New messages with an Adaptive Card posted into the conversation, in order. */
export function cardPosts(connector: FakeConnector, conversationId: string): ReceivedActivity[] {
  return requestsTo(connector, conversationId).filter((r) => r.method === 'POST' && cardOf(r) !== undefined);
}

/** Messages replaced in place (updateActivity), in order. */
export function cardUpdates(connector: FakeConnector, conversationId: string): ReceivedActivity[] {
  return requestsTo(connector, conversationId).filter((r) => r.method === 'PUT');
}

/** The id the fake connector answered a POST with (`connector-N`, N counting every request it took). */
export function activityIdOf(connector: FakeConnector, post: ReceivedActivity): string {
  return `connector-${connector.received.indexOf(post) + 1}`;
}

/** The Adaptive Card a request carried, if any. */
export function cardOf(request: ReceivedActivity): Record<string, unknown> | undefined {
  const attachments = (request.body['attachments'] as { contentType?: string; content?: Record<string, unknown> }[] | undefined) ?? [];
  return attachments.find((a) => a.contentType === ADAPTIVE)?.content;
}

/** The card's facts, title → value. */
export function factsOf(request: ReceivedActivity): Record<string, string> {
  const body = (cardOf(request)?.['body'] as Record<string, unknown>[] | undefined) ?? [];
  const facts = (body.find((e) => e['type'] === 'FactSet')?.['facts'] as { title: string; value: string }[] | undefined) ?? [];
  return Object.fromEntries(facts.map((f) => [f.title, f.value]));
}

/** Where the card's button leads. */
export function buttonUrlOf(request: ReceivedActivity): string | undefined {
  return ((cardOf(request)?.['actions'] as { url?: string }[] | undefined) ?? [])[0]?.url;
}
