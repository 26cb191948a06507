/**
 * Domain synonyms: words shoppers use interchangeably for one idea of the after-sales domain
 * (parcel / package / courier / tracking; rotten / mouldy / wilted / thawed) map to one concept
 * feature `k:<concept>` besides their own. The model then learns the idea from a few examples
 * and recognises it in a synonym it never saw with that intent. English entries are plain
 * words, stemmed here as tokenize.ts stems them; a Chinese entry matches a jieba word, and a
 * one-character entry also any occurrence of that character. Editing this list changes the
 * features: bump FEATURE_VERSION in tokenize.ts and run `npm run train`.
 *
 * Only words that mean the same thing for every intent belong here; a word that separates two
 * intents (退款 "refund" as a request versus as a status question) stays out.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

const GROUPS: Record<string, string> = {
  ship: 'package parcel delivery courier tracking shipping shipment post postman mail locker driver dispatch transit 快递 包裹 物流 配送 发货 签收 驿站 快递员 单号 派送 揽收 快递柜 送货',
  money: 'refund compensation money reimbursement payout 退款 赔偿 赔付 退钱 补偿 钱',
  progress: 'status progress update news result decision approved pending 进度 状态 结果 进展 审核 到账',
  expire: 'expired expiry expiration expire stale 过期 保质期 临期 过保 生产日期 到期',
  rot: 'rotten rotting mould mold mouldy moldy wilted withered spoiled spoilt thawed defrosted melted dead stinks smelly rancid mushy slimy 烂 腐烂 发霉 长毛 蔫 化冻 解冻 死 臭 变质',
  produce:
    'fruit fruits vegetables veggies meat fish seafood crab crabs prawns shrimp lobster oysters berries strawberries cherries apples bananas mango peaches grapes oranges lettuce tomatoes steak chicken pork beef salmon 水果 蔬菜 生鲜 海鲜 螃蟹 大闸蟹 虾 鱼 肉 牛排 草莓 车厘子 苹果 香蕉 芒果 桃子 葡萄 橙子 青菜',
  broken:
    'crushed smashed dented leaked leaking cracked shattered squashed squished torn ripped burst spilled 压坏 压扁 摔碎 漏 碎 破 破损 压烂 变形 裂 撒',
  size: 'size dimensions measured length width height depth capacity litre liter ml cm inch inches mm 尺寸 尺码 规格 容量 大小 厘米 公分 长度 宽度 高度',
  defect: 'defective faulty malfunction charge heat 失灵 故障 不能用 没反应 开不了机 充不进',
  human:
    'human person agent staff manager supervisor representative someone somebody operator 人工 真人 经理 主管 小二 活人',
  greet: 'hi hello hey hiya howdy 你好 您好 哈喽 嗨 早上好 晚上好',
  cancel: 'cancel forget nevermind withdraw scrap abort 算了 取消 撤销 撤回 不用了 不弄了',
};

const HAN = /\p{Script=Han}/u;

/** Word (Porter stem, or Chinese word or character) → concept. */
export const CONCEPTS: ReadonlyMap<string, string> = new Map(
  Object.entries(GROUPS).flatMap(([concept, words]) =>
    words.split(' ').map((w): [string, string] => [HAN.test(w) ? w : PorterStemmer.stem(w), concept]),
  ),
);
