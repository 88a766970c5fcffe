export { classOf, normalizeText, normalizeWord, type NormalizedText } from './normalize';
export { WHOLE_WORD_BELOW, WordMatcher, type ListedWord, type WordMatch } from './word-matcher';
