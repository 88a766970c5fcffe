import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { WordMatcher } from '@sms/domain-word-matcher';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { listKeyOf, type InterceptionWordEntity } from './interception-word.entity';
import { InterceptionWordsRepository } from './interception-words.repository';

/**
 * Every list's automaton, in memory, so admission never asks PostgreSQL. Loaded whole at start,
 * then each replica polls the lists' revisions (WORDS_RELOAD_INTERVAL_MS) and rebuilds only the
 * lists that changed: a change reaches every replica within that interval.
 */
@Injectable()
export class WordLists implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WordLists.name);
  private readonly matchers = new Map<string, WordMatcher>();
  private revision = '0';
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private loaded = false;
  private reloadedAtMs = 0;

  constructor(
    private readonly repository: InterceptionWordsRepository,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { revision, words } = await this.repository.loadAll();
    const byList = new Map<string, InterceptionWordEntity[]>();
    for (const word of words) {
      const key = listKeyOf(word.list, word.accountId);
      byList.set(key, [...(byList.get(key) ?? []), word]);
    }
    for (const [key, list] of byList) this.matchers.set(key, toMatcher(list));
    this.revision = revision;
    this.loaded = true;
    this.reloadedAtMs = Date.now();
    this.logger.log(`interception words loaded at revision ${revision}: ${byList.size} lists`);
    this.timer = setInterval(() => void this.reload(), this.config.WORDS_RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The revision in memory and when the last poll succeeded (metrics). */
  get state(): { revision: string; reloadedAtMs: number } {
    return { revision: this.revision, reloadedAtMs: this.reloadedAtMs };
  }

  get ready(): boolean {
    return this.loaded;
  }

  platform(): WordMatcher | undefined {
    return this.matchers.get('PLATFORM');
  }

  account(accountId: string): WordMatcher | undefined {
    return this.matchers.get(listKeyOf('ACCOUNT', accountId));
  }

  /** Rebuilds the lists changed since the last reload (one at a time; overlapping calls share). */
  reload(): Promise<void> {
    this.reloading ??= this.reloadChanged().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reloadChanged(): Promise<void> {
    try {
      const changed = await this.repository.changedSince(this.revision);
      this.reloadedAtMs = Date.now();
      if (!changed) return;
      for (const [key, words] of changed.lists) {
        if (words.length === 0) this.matchers.delete(key);
        else this.matchers.set(key, toMatcher(words));
      }
      this.revision = changed.revision;
      // Rare (list changes only), and what an operator checks when a word seems not to apply.
      this.logger.log(
        `interception words reloaded at revision ${changed.revision}: ${[...changed.lists].map(([key, words]) => `${key} (${words.length})`).join(', ')}`,
      );
    } catch (error) {
      // The lists in memory stay as they were; the next interval tries again.
      this.logger.warn(`interception words not reloaded: ${String(error)}`);
    }
  }
}

function toMatcher(words: readonly InterceptionWordEntity[]): WordMatcher {
  return new WordMatcher(words.map((w) => ({ id: w.id, word: w.word })));
}
