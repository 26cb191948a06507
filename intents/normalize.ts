/**
 * Text normalisation shared by the tokenizer, the extractors and language detection: full-width
 * forms folded to ASCII (NFKC turns `１２０ｃｍ` into `120cm` and `，` into `,`), control
 * characters and lone surrogates removed, so binary garbage can never reach a regex or jieba.
 */

/** Longest text we look at; a shopper's message past this is noise for classification. */
export const MAX_CHARS = 2000;

// Lone surrogates survive NFKC and upset the native segmenter, so they go too.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function normalize(text: string, maxChars: number = MAX_CHARS): string {
  const clipped = text.length > maxChars ? text.slice(0, maxChars) : text;
  return clipped
    .normalize('NFKC')
    .replace(CONTROL, ' ')
    .replace(/[’‘`´]/g, "'");
}
