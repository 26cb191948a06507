/**
 * Typings for the few natural modules kefu imports directly. The package root loads database
 * drivers and prints noise (TOOLCHAIN.md), so we reach into its files, which ship no typings.
 */
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}
