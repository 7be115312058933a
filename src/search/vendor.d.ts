// Type declarations for the two text libraries search uses; neither ships its own.

declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
}

declare module 'stopword' {
  /** Snowball's French stop words and a few more, lower case with accents. */
  export const fra: string[];
}
