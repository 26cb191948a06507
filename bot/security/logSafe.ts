/**
 * What of an inbound activity may be logged: its routing facts and the sizes of what it carries.
 * The text is masked (see `maskText`); the sender's name and attachment URLs are left out.
 */
import { maskText } from '../log.js';

export function summarizeActivity(activity: Record<string, unknown>): Record<string, unknown> {
  const conversation = activity.conversation as { id?: unknown } | undefined;
  const from = activity.from as { id?: unknown } | undefined;
  const attachments = Array.isArray(activity.attachments) ? activity.attachments.length : 0;
  return {
    type: activity.type,
    channel: activity.channelId,
    conversation: conversation?.id,
    from: from?.id,
    ...(typeof activity.text === 'string'
      ? { words: maskText(activity.text.slice(0, 500)), chars: activity.text.length }
      : {}),
    ...(attachments > 0 ? { attachments } : {}),
  };
}
