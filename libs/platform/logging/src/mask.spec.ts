import { Writable } from 'node:stream';
import { createPinoLogger } from './logger';
import { maskPhone, maskPhonesDeep, maskPhonesInText } from './mask';

describe('phone masking', () => {
  it('keeps the country prefix and the last two digits', () => {
    expect(maskPhone('+447911123456')).toBe('+44********56');
    expect(maskPhone('8613800138000')).toBe('86*********00');
  });

  it('leaves short numbers alone', () => {
    expect(maskPhone('12345')).toBe('12345');
  });

  it('masks numbers inside text, not other digits', () => {
    expect(maskPhonesInText('check +447911123456 failed after 250 ms')).toBe(
      'check +44********56 failed after 250 ms',
    );
  });

  it('masks nested objects and phone-named fields', () => {
    expect(
      maskPhonesDeep({
        request: { phone: '+8613800138000', accountId: 'acc-1' },
        phones: ['+447911123456'],
      }),
    ).toEqual({
      request: { phone: '+86*********00', accountId: 'acc-1' },
      phones: ['+44********56'],
    });
  });
});

describe('logger output', () => {
  it('never writes a raw phone number', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createPinoLogger({ service: 'test', level: 'info' }, sink);
    logger.info({ recipient: '+447911123456' }, 'sent to +447911123456');
    const output = lines.join('');
    expect(output).not.toContain('447911123456');
    expect(output).toContain('+44********56');
    expect(JSON.parse(output)).toMatchObject({ service: 'test', level: 'info' });
  });
});
