/**
 * What the merchant said, if the shopper tells us: refused (商家拒绝, seller won't refund),
 * no reply (商家不回复, seller didn't reply), agreed (商家同意补发, seller agreed), or not
 * contacted yet. Checked in that order because "不同意" contains "同意" and "haven't heard back"
 * is not "haven't contacted".
 */
import type { MerchantResponse } from '../../rules/facts.js';

const SELLER_ZH = '(?:商家|卖家|店家|客服|老板|店铺|商户|他们|对方)';
const SELLER_EN = '(?:seller|merchant|shop|store|vendor|they|he|she)';

const RULES: [MerchantResponse, RegExp][] = [
  [
    'refused',
    new RegExp(
      `${SELLER_ZH}.{0,6}?(?:拒绝|不同意|不给|不肯|不愿意|不承认|不认|不管|不退|不赔|不补|不负责|推卸|踢皮球|甩锅|说不是|说是.{0,6}问题|驳回|拒退|拒赔)|被拒|拒绝了我|申请被驳回`,
      'u',
    ),
  ],
  [
    'refused',
    new RegExp(
      `\\b${SELLER_EN}\\b.{0,20}?(?:refus|declin|reject|won'?t (?:refund|replace|reship|help|accept|take)|will not|denied|den(?:y|ies)|blam|said no|says no|wouldn'?t)|refund (?:was )?(?:rejected|denied|declined)`,
      'iu',
    ),
  ],
  [
    'no_reply',
    new RegExp(
      `${SELLER_ZH}.{0,6}?(?:不回|没回|未回|不理|没理|没人理|不搭理|没反应|没有回|没有回复|一直不回|已读不回|联系不上|找不到人)|没人回|无人回复|不回消息`,
      'u',
    ),
  ],
  [
    'no_reply',
    new RegExp(
      `\\b${SELLER_EN}\\b.{0,20}?(?:(?:didn'?t|did not|doesn'?t|does not|hasn'?t|has not|haven'?t|have not|never|won'?t|not) (?:repl|respond|answer|get back|reply|responded)|ignor|ghost)|no (?:reply|response|answer) from|(?:haven'?t|have not) heard back|can'?t reach (?:the )?(?:seller|merchant|shop)`,
      'iu',
    ),
  ],
  [
    'not_contacted',
    /(?:还没|没有|没|未|还未)(?:联系|找|问|问过|联系过|找过)(?:过)?(?:商家|卖家|店家|客服)|(?:haven'?t|have not|didn'?t|did not|not yet)\s+(?:contacted|contact|asked|talked to|spoken to|reached out to)\s+(?:the\s+)?(?:seller|merchant|shop|store|them)\b/iu,
  ],
  ['agreed', new RegExp(`${SELLER_ZH}.{0,6}?(?:同意|答应|愿意|已经补发|说补发|说退款|说可以|给退|给补|承诺)`, 'u')],
  [
    'agreed',
    new RegExp(
      `\\b${SELLER_EN}\\b.{0,20}?(?:agreed|offered|promised|will (?:refund|replace|reship)|said (?:yes|ok))`,
      'iu',
    ),
  ],
];

export function extractMerchantResponse(text: string): MerchantResponse | undefined {
  for (const [response, re] of RULES) if (re.test(text)) return response;
  return undefined;
}
