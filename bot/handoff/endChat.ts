/**
 * While an agent owns the conversation the bot relays the shopper's text without interpreting
 * it; only an explicit request to end the chat is caught. Deliberately a short exact list, so
 * that "I don't want to end up without a refund" is relayed, not treated as a goodbye.
 */
const END_CHAT = new Set([
  'end chat',
  'end the chat',
  'leave queue',
  'leave the queue',
  'stop chat',
  '结束对话',
  '结束聊天',
  '结束会话',
  '退出排队',
  '取消排队',
  '不用了',
]);

export function isEndChat(text: string): boolean {
  const t = text.trim().toLowerCase().replace(/[\s.!。！]+$/u, '').replace(/\s+/g, ' ');
  return END_CHAT.has(t);
}
