import { BlockList } from 'node:net';
import { forbiddenReason } from './address-policy';

describe('forbiddenReason', () => {
  const none = new BlockList();

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(forbiddenReason(address, none)).toMatch(/loopback, private, link-local or reserved/);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(forbiddenReason(address, none)).toBeNull();
    },
  );

  it('allows what the allowlist names, and only that', () => {
    const allowed = new BlockList();
    allowed.addSubnet('127.0.0.1', 32, 'ipv4');
    expect(forbiddenReason('127.0.0.1', allowed)).toBeNull();
    expect(forbiddenReason('127.0.0.2', allowed)).not.toBeNull();
    expect(forbiddenReason('10.0.0.1', allowed)).not.toBeNull();
  });
});
