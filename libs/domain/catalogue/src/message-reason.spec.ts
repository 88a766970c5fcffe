import { messageReason, PROCESS_FAILED_REASON_WORDS, SEND_FAILURE_REASON_WORDS } from './index';

describe('messageReason', () => {
  it('gives the process-failed reason word and its description', () => {
    expect(messageReason('UNSUBSCRIBE', null)).toEqual({
      reasonCode: 'unsubscribe',
      reasonText: 'the recipient unsubscribed from this account',
      sendFailureCode: null,
    });
  });

  it('gives the send-failure word, description and number from a code or a name', () => {
    const expected = {
      reasonCode: 'empty',
      reasonText: 'number does not exist',
      sendFailureCode: 500,
    };
    expect(messageReason(null, 500)).toEqual(expected);
    expect(messageReason(null, 'EMPTY')).toEqual(expected);
    expect(messageReason(null, 'empty')).toEqual(expected);
  });

  it('is all null without a reason', () => {
    expect(messageReason(null, null)).toEqual({
      reasonCode: null,
      reasonText: null,
      sendFailureCode: null,
    });
  });

  it('lists the reason words in lower case', () => {
    expect(PROCESS_FAILED_REASON_WORDS).toContain('global_block');
    expect(SEND_FAILURE_REASON_WORDS).toEqual(expect.arrayContaining(['empty', 'other']));
  });
});
