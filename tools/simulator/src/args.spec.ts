import { parseSimulatorArgs, replicaAddresses, USAGE } from './args';

describe('parseSimulatorArgs', () => {
  it('defaults to the local system and 10,000 messages over 3 accounts', () => {
    expect(parseSimulatorArgs([])).toEqual({
      messages: 10_000,
      accounts: 3,
      seed: 1,
      gatewayUrl: 'http://127.0.0.1:3000',
      statusTarget: '127.0.0.1:50051',
      interceptionTarget: '127.0.0.1:50052',
      replyTarget: '127.0.0.1:50053',
      json: false,
    });
  });

  it('reads every option', () => {
    expect(
      parseSimulatorArgs([
        '--messages=200',
        '--accounts',
        '2',
        '--seed',
        '7',
        '--rounds',
        '2',
        '--webhook-quiet-ms',
        '15000',
        '--gateway',
        'http://localhost:4000',
        '--status',
        'localhost:1',
        '--interception',
        'dns:///interception:2',
        '--reply',
        'ipv4:127.0.0.1:3,127.0.0.1:4',
        '--json',
      ]),
    ).toEqual({
      messages: 200,
      accounts: 2,
      seed: 7,
      rounds: 2,
      webhookQuietMs: 15_000,
      gatewayUrl: 'http://localhost:4000',
      statusTarget: 'localhost:1',
      interceptionTarget: 'dns:///interception:2',
      replyTarget: 'ipv4:127.0.0.1:3,127.0.0.1:4',
      json: true,
    });
  });

  it.each([
    [['--messages', 'many'], /--messages must be a whole number/],
    [['--messages', '5'], /messages must be a whole number in 30\.\.100000/],
    [['--accounts', '0'], /accounts must be/],
    [['--seed=-3'], /--seed must be a whole number/],
    [['--gateway', 'localhost:3000'], /--gateway must be an http/],
    [['--status', 'nope'], /--status must be host:port/],
    [['--reply', 'ipv4:127.0.0.1:3,'], /--reply must be host:port/],
    [['--reply', 'ipv4:localhost:3'], /--reply must be host:port/],
    [['--webhook-quiet-ms', '50'], /--webhook-quiet-ms must be 100\.\.60000/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(message);
  });

  it('explains every option in --help, --rounds and --json included', () => {
    for (const option of [
      '--messages',
      '--accounts',
      '--seed',
      '--rounds',
      '--webhook-quiet-ms',
      '--json',
      '--gateway',
      '--status',
      '--interception',
      '--reply',
    ]) {
      expect(USAGE).toContain(`  ${option}`);
    }
    expect(USAGE).toMatch(
      /--rounds N +rounds, 1\.\.10 \(default: one per 50 messages, at most 4\)/,
    );
    expect(USAGE).toMatch(/--json +print the summary as one JSON document on stdout/);
  });

  it('names each replica of an ipv4: list; any other target is one', () => {
    expect(replicaAddresses('ipv4:127.0.0.1:1,127.0.0.1:2')).toEqual([
      '127.0.0.1:1',
      '127.0.0.1:2',
    ]);
    expect(replicaAddresses('dns:///interception:2')).toEqual(['dns:///interception:2']);
  });
});
