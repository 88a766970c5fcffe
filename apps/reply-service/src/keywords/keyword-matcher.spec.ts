import { DEFAULT_RESUBSCRIBE_KEYWORDS, DEFAULT_UNSUBSCRIBE_KEYWORDS } from '../config';
import { KeywordListError, KeywordMatcher, normalizeKeywordText } from './keyword-matcher';

const defaults = new KeywordMatcher({
  unsubscribe: DEFAULT_UNSUBSCRIBE_KEYWORDS.split(','),
  resubscribe: DEFAULT_RESUBSCRIBE_KEYWORDS.split(','),
});

describe('keyword matching with the SPEC 4 defaults', () => {
  it.each([
    'STOP',
    'STOPALL',
    'UNSUBSCRIBE',
    'CANCEL',
    'END',
    'QUIT',
    'OPTOUT',
    'OPT-OUT',
    'REVOKE',
    'REMOVE',
    'ARRET',
    'TD',
    'T',
    'N',
    '退订',
    'TD退订',
    '取消',
  ])('default unsubscribe keyword %p unsubscribes', (keyword) => {
    expect(defaults.match(keyword)).toBe('UNSUBSCRIBE');
  });

  it.each(['START', 'UNSTOP', 'SUBSCRIBE'])(
    'default resubscribe keyword %p resubscribes',
    (keyword) => {
      expect(defaults.match(keyword)).toBe('RESUBSCRIBE');
    },
  );

  it.each([
    [' Stop! ', 'UNSUBSCRIBE'],
    ['stop', 'UNSUBSCRIBE'],
    ['sToP', 'UNSUBSCRIBE'],
    ['STOP.', 'UNSUBSCRIBE'],
    ['"Stop"', 'UNSUBSCRIBE'],
    ['\tSTOP\n', 'UNSUBSCRIBE'],
    ['S.T.O.P', 'UNSUBSCRIBE'],
    ['stop all', 'UNSUBSCRIBE'],
    ['Stop-All!', 'UNSUBSCRIBE'],
    ['opt out', 'UNSUBSCRIBE'],
    ['Opt_Out', 'UNSUBSCRIBE'],
    ['optout', 'UNSUBSCRIBE'],
    ['td', 'UNSUBSCRIBE'],
    ['Td', 'UNSUBSCRIBE'],
    // Spaces are dropped, so a spaced-out keyword still counts (decision: spec drops spaces).
    ['t d', 'UNSUBSCRIBE'],
    ['t', 'UNSUBSCRIBE'],
    ['n.', 'UNSUBSCRIBE'],
    ['Arrêt', 'UNSUBSCRIBE'],
    ['ARRÊT !', 'UNSUBSCRIBE'],
    ['ＳＴＯＰ', 'UNSUBSCRIBE'],
    ['ｔｄ', 'UNSUBSCRIBE'],
    ['退订。', 'UNSUBSCRIBE'],
    [' 退 订 ', 'UNSUBSCRIBE'],
    ['TD 退订', 'UNSUBSCRIBE'],
    ['td退订！', 'UNSUBSCRIBE'],
    ['取消。', 'UNSUBSCRIBE'],
    ['Stop 🛑', 'UNSUBSCRIBE'],
    ['start', 'RESUBSCRIBE'],
    [' Start. ', 'RESUBSCRIBE'],
    ['un-stop', 'RESUBSCRIBE'],
    ['Subscribe!', 'RESUBSCRIBE'],
  ])('%p → %s (case, punctuation, spaces, width, accents)', (content, action) => {
    expect(defaults.match(content)).toBe(action);
  });

  it.each([
    'please stop texting me',
    'stop it',
    'STOPP',
    'stops',
    'STOP STOP',
    'startup',
    'restart',
    'start now',
    'no',
    'yes',
    'Y',
    'TDD',
    'ends',
    'the end',
    'cancelled',
    '退订吗',
    '不要退订',
    '取消订单',
    'STOP1',
    '1',
    '',
    '   ',
    '!!!',
    '🛑',
  ])('near miss %p does nothing', (content) => {
    expect(defaults.match(content)).toBe('NONE');
  });
});

describe('configured keyword lists', () => {
  it('uses the configured lists instead of the defaults', () => {
    const matcher = new KeywordMatcher({
      unsubscribe: ['basta', 'Halt!'],
      resubscribe: ['weiter'],
    });
    expect(matcher.match('BASTA')).toBe('UNSUBSCRIBE');
    expect(matcher.match('halt')).toBe('UNSUBSCRIBE');
    expect(matcher.match('Weiter.')).toBe('RESUBSCRIBE');
    expect(matcher.match('stop')).toBe('NONE');
  });

  it('refuses a keyword in both lists, even written differently', () => {
    expect(() => new KeywordMatcher({ unsubscribe: ['STOP'], resubscribe: ['s-t-o-p'] })).toThrow(
      KeywordListError,
    );
  });

  it('refuses a keyword without letters or digits', () => {
    expect(() => new KeywordMatcher({ unsubscribe: ['!!'], resubscribe: ['START'] })).toThrow(
      /has no letters or digits/,
    );
  });

  it('normalises the same way for keywords and replies', () => {
    expect(normalizeKeywordText('  Opt-Out! ')).toBe('OPTOUT');
    expect(normalizeKeywordText('TD 退订')).toBe('TD退订');
  });
});
