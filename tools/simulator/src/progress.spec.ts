import { PlainProgress, progressLine, type SimulationProgress } from './progress';

const at = (done: number, phase = 'events'): SimulationProgress => ({
  done,
  total: 400,
  round: 1,
  rounds: 2,
  phase,
});

describe('plain progress (stderr not a terminal)', () => {
  it('formats one readable line', () => {
    expect(progressLine(at(100))).toBe('progress: 100/400 messages (25%), round 1/2, events');
    expect(progressLine({ ...at(0), total: 0 })).toContain('(100%)');
  });

  it('prints at most one line per interval, the finished count and the last state at stop', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new PlainProgress(
      (line) => lines.push(line),
      2000,
      () => clock,
    );
    progress.update(at(10));
    clock = 500;
    progress.update(at(20));
    clock = 2100;
    progress.update(at(30));
    clock = 2200;
    progress.update(at(40, 'replies'));
    progress.log('round 1: 200 messages');
    progress.update(at(400, 'settling'));
    progress.update(at(400, 'settling')); // the same line again is not repeated
    progress.stop();
    expect(lines).toEqual([
      'progress: 10/400 messages (2%), round 1/2, events',
      'progress: 30/400 messages (7%), round 1/2, events',
      'round 1: 200 messages',
      'progress: 400/400 messages (100%), round 1/2, settling',
    ]);
  });

  it('shows a state held back by the interval when stopped', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new PlainProgress(
      (line) => lines.push(line),
      2000,
      () => clock,
    );
    progress.update(at(10));
    clock = 100;
    progress.update(at(90, 'replies'));
    progress.stop();
    expect(lines).toEqual([
      'progress: 10/400 messages (2%), round 1/2, events',
      'progress: 90/400 messages (22%), round 1/2, replies',
    ]);
  });
});
