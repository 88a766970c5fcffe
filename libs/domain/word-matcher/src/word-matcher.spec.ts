import { normalizeWord } from './normalize';
import { WordMatcher } from './word-matcher';

const words = (...list: string[]) => list.map((word, i) => ({ id: `w${i}`, word }));

describe('normalizeWord', () => {
  it.each([
    ['CASINO', 'casino'],
    ['ＣＡＳＩＮＯ', 'casino'], // full width
    ['ｶｼﾞﾉ', 'カジノ'.normalize('NFKD')], // half-width katakana folds to full width
    ['Café', 'cafe'],
    ['c.a-s_i n/o', 'casino'],
    ['cas\u200Bino', 'casino'], // zero-width space
    ['v1agra', 'viagra'],
    ['ca$ino', 'casino'],
    ['саsinо', 'casino'], // Cyrillic а and о
    ['ﬁnance', 'finance'], // ligature
    ['贷 款', '贷款'],
    ['!!!', ''],
  ])('%s -> %s', (word, normalized) => {
    expect(normalizeWord(word)).toBe(normalizeWord(normalized));
  });
});

describe('WordMatcher', () => {
  const matcher = new WordMatcher(words('casino', 'free money', '贷款', '发票', 'ass', 'win'));

  it.each([
    ['Visit our CASINO tonight', 'casino', 'CASINO'],
    ['Visit our ＣＡＳＩＮＯ', 'casino', 'ＣＡＳＩＮＯ'],
    ['c.a.s.i.n.o night', 'casino', 'c.a.s.i.n.o'],
    ['c a s i n o', 'casino', 'c a s i n o'],
    ['best c@$1n0 in town', 'casino', 'c@$1n0'],
    ['саsinо', 'casino', 'саsinо'],
    ['cas\u200Bino', 'casino', 'cas\u200Bino'],
    ['playcasinonow', 'casino', 'casino'],
    ['Get FREE-MONEY now', 'free money', 'FREE-MONEY'],
    ['get freemoney', 'free money', 'freemoney'],
    ['低息贷款，当天到账', '贷款', '贷款'],
    ['低息贷 款', '贷款', '贷 款'],
    ['代开发票', '发票', '发票'],
    ['you WIN!', 'win', 'WIN'],
    ['验证码win', 'win', 'win'],
    ['kick ass', 'ass', 'ass'],
  ])('finds a word in %j', (content, word, matchedText) => {
    expect(matcher.findFirst(content)).toMatchObject({ word, matchedText });
  });

  it.each([
    ['near miss: casing', 'your casing is ready'],
    ['near miss: casin', 'casin'],
    ['a short word inside a longer one: class', 'first class service'],
    ['a short word inside a longer one: window', 'open the window'],
    ['a short word inside a longer one: twin', 'twin room'],
    ['near miss in Chinese', '贷了款'],
    ['empty content', ''],
    ['only separators', '... !!! ---'],
  ])('finds nothing: %s', (_, content) => {
    expect(matcher.findFirst(content)).toBeNull();
  });

  it('reports the word that ends first, overlapping words included', () => {
    // 'abcdx' fails after 'abcd'; the failure link carries on into 'bcdefg' without rescanning.
    const overlapping = new WordMatcher(words('bcdefg', 'abcdx', 'cdefgh'));
    expect(overlapping.findFirst('abcdefgh')).toMatchObject({
      word: 'bcdefg',
      matchedText: 'bcdefg',
    });
    // A word inside a longer one: the one that ends first is reported.
    expect(new WordMatcher(words('lottery', 'otter')).findFirst('lottery')).toMatchObject({
      word: 'otter',
    });
  });

  it('ignores words with nothing to match and finds nothing with an empty list', () => {
    expect(new WordMatcher(words('!!!')).size).toBe(0);
    expect(new WordMatcher([]).findFirst('anything')).toBeNull();
  });

  it('stays exact and fast at 10,000 words', () => {
    // Deterministic pseudo-words: Latin of 5..10 letters and Chinese of 2..4 characters.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const list: { id: string; word: string }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const latin = i % 2 === 0;
      const length = latin ? 5 + random(6) : 2 + random(3);
      let word = '';
      for (let j = 0; j < length; j++) {
        word += latin
          ? String.fromCharCode(98 + random(24)) // b..y: never a look-alike target's source
          : String.fromCharCode(0x4e00 + random(2000));
      }
      list.push({ id: `w${i}`, word });
    }
    const started = performance.now();
    const big = new WordMatcher(list);
    const built = performance.now() - started;
    expect(big.size).toBe(10_000);
    // Every word is found inside ordinary text, in its written and in a disguised form.
    // (Another listed word inside it may end first: then that one is the answer.)
    for (const { word } of list.filter((_, i) => i % 97 === 0)) {
      const found = big.findFirst(`>> ${word.toUpperCase()} <<`);
      expect(normalizeWord(word)).toContain(normalizeWord(found?.word ?? '-'));
      const spaced = [...word].join(' ');
      const disguised = big.findFirst(`say ${spaced}!`);
      expect(disguised?.word).toBe(found?.word);
      expect(spaced).toContain(disguised?.matchedText ?? '-');
    }
    const clean = 'Your parcel 12345 arrives tomorrow between 9 and 11. Reply STOP to opt out.';
    const texts = Array.from({ length: 1000 }, (_, i) => `${clean} #${i}`);
    const scanStart = performance.now();
    let hits = 0;
    for (const text of texts) if (big.findFirst(text)) hits++;
    const scanned = performance.now() - scanStart;
    // Not a benchmark: a guard against a quadratic automaton (measured ~5 ms for 1,000 texts).
    expect(built).toBeLessThan(5_000);
    expect(scanned).toBeLessThan(1_000);
    expect(hits).toBe(0);
  });
});
