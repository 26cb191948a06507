/**
 * "不对，是12月5日", "actually it's December 5", "I mean 100 cm": the shopper corrects an earlier
 * answer in words. Only the marker is recognised here; the new value is read by the extractors.
 */
const MARKER =
  /^(?:不对|不是|错了|说错了|更正|纠正|应该是|其实是|我是说)|^(?:actually|sorry,? i meant|i meant|i mean|correction|no wait|wait)\b/iu;

export function isCorrection(text: string): boolean {
  return MARKER.test(text.normalize('NFKC').trim());
}
