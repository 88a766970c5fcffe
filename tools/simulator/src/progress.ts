// Progress of a run on stderr (stdout stays for the report or the --json document): a bar when
// stderr is a terminal, otherwise (CI, tests, a pipe) a plain line every few seconds.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface SimulationProgress {
  /** Messages whose events are sent, counting the current round's share. */
  readonly done: number;
  readonly total: number;
  readonly round: number;
  readonly rounds: number;
  /** What the current round is doing: check, events, replies, settling. */
  readonly phase: string;
}

export interface ProgressDisplay {
  update(progress: SimulationProgress): void;
  /** A log line that does not tear the bar. */
  log(line: string): void;
  stop(): void;
}

export function progressLine(progress: SimulationProgress): string {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  return `progress: ${progress.done}/${progress.total} messages (${percent}%), round ${progress.round}/${progress.rounds}, ${progress.phase}`;
}

/** Plain lines, at most one per `intervalMs`; a finished count and the last state always show. */
export class PlainProgress implements ProgressDisplay {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastLine: string | undefined;
  private pending: SimulationProgress | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  update(progress: SimulationProgress): void {
    const at = this.now();
    if (progress.done === progress.total || at - this.lastAt >= this.intervalMs) {
      this.print(progress, at);
    } else {
      this.pending = progress;
    }
  }

  log(line: string): void {
    this.write(line);
  }

  stop(): void {
    if (this.pending) this.print(this.pending, this.now());
  }

  private print(progress: SimulationProgress, at: number): void {
    this.pending = undefined;
    const line = progressLine(progress);
    if (line === this.lastLine) return;
    this.write(line);
    this.lastLine = line;
    this.lastAt = at;
  }
}

/** A cli-progress bar on an interactive stderr. */
class BarProgress implements ProgressDisplay {
  private readonly bars: MultiBar;
  private bar: SingleBar | undefined;

  constructor(stream: NodeJS.WriteStream) {
    this.bars = new MultiBar(
      {
        stream,
        format:
          'simulating [{bar}] {percentage}% | {value}/{total} messages | round {round} | {phase}',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
      },
      Presets.shades_classic,
    );
  }

  update(progress: SimulationProgress): void {
    const payload = { round: `${progress.round}/${progress.rounds}`, phase: progress.phase };
    if (!this.bar) this.bar = this.bars.create(progress.total, progress.done, payload);
    else this.bar.update(progress.done, payload);
  }

  log(line: string): void {
    if (this.bar) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  stop(): void {
    this.bars.stop();
  }
}

export function progressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  return stream.isTTY
    ? new BarProgress(stream)
    : new PlainProgress((line) => stream.write(`${line}\n`));
}
