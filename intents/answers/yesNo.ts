/**
 * Yes or no as shoppers say it, with extra words around it, in both languages: "可以，谢谢",
 * "是的没错", "没有标", "不是", "yes please", "sure, go ahead", "not yet", "no, it didn't",
 * "I haven't". Negations are checked first because most of them contain a yes word (不同意, not ok).
 * Undefined when the message is neither (a question, a sentence about something else).
 */
const POLITE_ZH = /谢谢|多谢|麻烦了|辛苦了|吧|呀|啊|呢|哈|哦/gu;
const YES_ZH_FIXED = /没问题|没错|不错|可不可以都行/u;
const NO_ZH =
  /^(?:不|没|否|别|未|无|拒绝|并没|还没|从没|不是)|(?:不(?:是|要|行|用|同意|接受|对|需要|可以|好|愿意)|没(?:有|标|写|说|提|看到|注明|显示)|未(?:标|注明|显示)|拒绝)/u;
const YES_ZH =
  /^(?:是|对|好|可以|行|嗯|同意|接受|确认|要|需要|有|当然|确定|ok|yes)|(?:是的|对的|好的|可以|同意|接受|确认|标了|标明了|写了|有标|有写|确认过)/iu;
const NO_EN =
  /\b(?:no|nope|nah|not|never|didn'?t|don'?t|doesn'?t|wasn'?t|weren'?t|haven'?t|hasn'?t|isn'?t|won'?t|can'?t|decline|reject|disagree|negative)\b/iu;
const YES_EN_FIXED = /\b(?:no problem|not bad|no worries)\b/iu;
const YES_EN =
  /\b(?:yes|yeah|yea|yep|yup|sure|ok|okay|alright|accept|agree|correct|right|fine|please do|go ahead|of course|absolutely|definitely|sounds good|it was|they did|i did|did|was|true|affirmative|y)\b/iu;

export function recognizeYesNo(raw: string): boolean | undefined {
  const text = raw.normalize('NFKC').trim();
  if (text === '') return undefined;
  if (/[\p{Script=Han}]/u.test(text)) {
    const core = text.replace(POLITE_ZH, '').replace(/[\s\p{P}]+/gu, '');
    if (YES_ZH_FIXED.test(core)) return true;
    if (NO_ZH.test(core)) return false;
    if (YES_ZH.test(core)) return true;
  }
  if (YES_EN_FIXED.test(text)) return true;
  if (NO_EN.test(text)) return false;
  if (YES_EN.test(text)) return true;
  return undefined;
}
