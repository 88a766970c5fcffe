import { ENUM_PREFIX, enumWord, lowerWords, protoEnum } from './enum-words';

describe('enum words', () => {
  it('turns proto enum values into lower-case words and back', () => {
    expect(enumWord('MESSAGE_STATUS_WAIT_RESULT', ENUM_PREFIX.messageStatus)).toBe('wait_result');
    expect(protoEnum('wait_result', ENUM_PREFIX.messageStatus)).toBe('MESSAGE_STATUS_WAIT_RESULT');
    expect(lowerWords(['GLOBAL', 'LOCAL'] as const)).toEqual(['global', 'local']);
  });

  it('gives null for unspecified, foreign and unknown numeric values', () => {
    expect(enumWord('SCOPE_UNSPECIFIED', ENUM_PREFIX.scope)).toBeNull();
    expect(enumWord('VERDICT_ALLOW', ENUM_PREFIX.scope)).toBeNull();
    expect(enumWord(7, ENUM_PREFIX.scope)).toBeNull();
    expect(enumWord(null, ENUM_PREFIX.scope)).toBeNull();
  });
});
