/**
 * "I can't give you that", in any wording, at a step that asks for a file or a fact: "no video
 * sorry", "没有视频，不好意思", "没拍", "didn't film it", "I threw it away", "skip this one please".
 * `skip` is a wish to move on; `dont_have` says the thing does not exist.
 */
const SKIP =
  /^(?:跳过|略过|下一步|下一个|先跳过|不想(?:发|拍|提供)|不发了|不用了|skip|next|pass|move on|skip (?:it|this|that))|(?:跳过|skip|move on|next one|next step|不发了)/iu;
const DONT_HAVE_ZH =
  /(?:没有|没|无|不)(?:拍|录|保留|留|存|照片|视频|图|截图|聊天记录|拍照|录像|办法拍|法拍|有)|扔了|丢了|删了|拍不了|没法拍|找不到了|不在了/u;
const DONT_HAVE_EN =
  /\b(?:no|none|nope)\b(?!\s+problem)|\b(?:don'?t|do not|didn'?t|did not|haven'?t|have not|can'?t|cannot|couldn'?t|never)\b.{0,30}\b(?:have|got|take|took|film|filmed|record|recorded|keep|kept|photo|picture|video|screenshot|find)|\b(?:threw|thrown|tossed|deleted|lost)\b/iu;

export type Decline = 'skip' | 'dont_have';

export function recognizeDecline(raw: string): Decline | undefined {
  const text = raw.normalize('NFKC').trim();
  if (text === '' || text.length > 80) return undefined;
  if (DONT_HAVE_ZH.test(text) || DONT_HAVE_EN.test(text)) return 'dont_have';
  if (SKIP.test(text)) return 'skip';
  return undefined;
}
