/**
 * Whether the shopper's words suggest someone was harmed: illness (吃了拉肚子, got sick after
 * drinking it), injury (划伤, cut myself) or a foreign object (吃到玻璃, found glass in it).
 * It only suggests: kefu then asks the health question, and the shopper's "yes" decides. So the
 * patterns want a person or eating nearby ("不舒服的包装" and "the box was cut open" are not
 * harm), and a negation just before ("没有人不舒服", "nobody got sick") cancels the match.
 */
export type HarmKind = 'illness' | 'injury' | 'foreign_object';

const EAT_ZH = '(?:吃|喝|食用|服用|用了|尝)';
const THING_ZH = '(?:异物|玻璃|金属|铁丝|钢丝|钉子|铁片|头发|毛发|虫子|虫|塑料|石子|沙子|碎片|刀片)';
const THING_EN =
  '(?:glass|metal|hairs?|plastic|insects?|bugs?|worms?|wires?|screws?|stones?|shards?|splinters?|a piece of \\w+|foreign (?:object|body))';
const BODY_EN = '(?:myself|himself|herself|themselves|my|his|her|their|our)';

const RULES: [HarmKind, RegExp][] = [
  [
    'foreign_object',
    new RegExp(
      `${EAT_ZH}.{0,3}(?:到|出)[^，。,.!?！？]{0,6}${THING_ZH}|(?:里面|里头|里)(?:有|发现|混着|还有)[^，。,.!?！？]{0,4}${THING_ZH}|(?:发现|混有|混入|掺)[^，。,.!?！？]{0,6}${THING_ZH}|异物|误吞|吞下|咽下|吞进|(?:把|将)[^，。,.!?！？]{1,8}吞了`,
      'u',
    ),
  ],
  [
    'foreign_object',
    new RegExp(
      `\\b(?:found|bit (?:into|on)|chewed (?:on)?|there (?:was|were|is|are))\\b[^.!?]{0,25}\\b${THING_EN}\\b|\\b${THING_EN}\\b[^.!?]{0,15}\\bin (?:it|the|my|there|his|her)\\b|\\bswallow(?:ed|ing)?\\b|foreign (?:object|body)`,
      'iu',
    ),
  ],
  [
    'illness',
    new RegExp(
      `拉肚子|腹泻|闹肚子|(?:肚子|胃|肠胃)(?:疼|痛|难受|不舒服|不适)|呕吐|(?:上吐下泻|吐了|想吐)|过敏|中毒|发烧|住院|(?:进|去|上)(?:了)?医院|看(?:了)?医生|急诊|身体不适|身体不舒服|${EAT_ZH}[^，。,.!?！？]{0,8}(?:不舒服|难受|头晕|恶心)`,
      'u',
    ),
  ],
  [
    'illness',
    /\b(?:got|get|gets|getting|feel|feels|felt|feeling|fell|became|been|was|were|is|are) (?:really |very |so )?(?:sick|ill|unwell|nauseous)\b(?! of)|\bmade (?:me|us|him|her|them|my \w+|our \w+) (?:sick|ill|vomit|throw up)\b|\b(?:vomit(?:ed|ing)?|threw up|throwing up|puk(?:e|ed|ing))\b|diarrh(?:o)?ea|stomach ?(?:ache|pain|cramps?|bug)|food poisoning|\bpoisoned\b|allergic reaction|\bhad an allergic\b|\b(?:a |in )?(?:rash|hives)\b|\b(?:hospital|emergency room|the er|a doctor|the doctor)\b/iu,
  ],
  [
    'injury',
    /划伤|划破|割伤|割破|割到|划到手|烫伤|烧伤|扎伤|扎到|刺伤|受伤|流血|砸伤|崩(?:了)?牙|硌(?:到)?牙|牙(?:齿)?(?:崩|硌)|触电|被电(?:到|了)|电到(?:我|手|人|孩子)|漏电/u,
  ],
  [
    'injury',
    new RegExp(
      `\\b(?:cut|burn(?:ed|t)?|scald(?:ed)?|hurt|injured|injure) ${BODY_EN}\\b|\\b(?:got|was|were|is|been) (?:badly )?(?:hurt|injured|scalded)\\b|\\bgot (?:burn(?:ed|t)|cut)\\b|\\binjur(?:y|ies)\\b|\\bbleeding\\b|\\belectric shock\\b|\\bshocked (?:me|him|her|us)\\b|\\b(?:chipped|broke|cracked) (?:a|my|his|her) tooth\\b`,
      'iu',
    ),
  ],
];

/** A negation right before the match: "没有人不舒服", "nobody got sick", "didn't get hurt". */
const NEGATED_ZH = /(?:没有人?|没人|没|未|并没有|还好没|不会|无人)$/u;
const NEGATED_EN = /\b(?:no one|nobody|not|never|n't|no)\s+(?:\w+\s+)?$/iu;

/**
 * Each rule is in one script: the Chinese ones match only Han characters, the English ones only
 * words in Latin letters. Text without that script is not scanned by its rules.
 */
const HAN = /\p{Script=Han}/u;
const LATIN = /[a-z]/iu;
const IN_HAN = RULES.map(([, re]) => HAN.test(re.source));

export function extractHarm(text: string): { kind: HarmKind; text: string } | undefined {
  const han = HAN.test(text);
  const latin = LATIN.test(text);
  for (const [i, [kind, re]] of RULES.entries()) {
    if (!(IN_HAN[i] ? han : latin)) continue;
    const m = re.exec(text);
    if (!m) continue;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (NEGATED_ZH.test(before) || NEGATED_EN.test(before)) continue;
    return { kind, text: m[0] };
  }
  return undefined;
}
