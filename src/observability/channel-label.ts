/**
 * Channel ids as a metric label. The id comes from the activity, so from outside: an open label
 * would let any caller add a time series per made-up id. Known channels keep their name, the rest
 * is `other`.
 */
const KNOWN_CHANNELS: ReadonlySet<string> = new Set([
  'msteams',
  'webchat',
  'directline',
  'emulator',
  'local-webchat',
  'test',
  'slack',
  'line',
  'facebook',
  'telegram',
  'email',
  'sms',
  'omnichannel',
]);

export const OTHER_CHANNEL = 'other';

export function channelLabel(channelId: string | undefined): string {
  return channelId !== undefined && KNOWN_CHANNELS.has(channelId) ? channelId : OTHER_CHANNEL;
}
