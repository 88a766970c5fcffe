import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a-key-of-at-least-thirty-two-characters');

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('whsec_abc', 'ep_1');
    expect(sealed).not.toContain('whsec_abc');
    expect(sealed).not.toBe(box.seal('whsec_abc', 'ep_1'));
    expect(box.open(sealed, 'ep_1')).toBe('whsec_abc');
  });

  it('refuses another endpoint’s ciphertext, another key and tampering', () => {
    const sealed = box.seal('whsec_abc', 'ep_1');
    expect(() => box.open(sealed, 'ep_2')).toThrow();
    expect(() =>
      new SecretBox('another-key-of-thirty-two-characters!').open(sealed, 'ep_1'),
    ).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('whsec_xyz').toString('base64');
    expect(() => box.open(parts.join('.'), 'ep_1')).toThrow();
    expect(() => box.open('garbage', 'ep_1')).toThrow(/not a sealed/);
  });
});
