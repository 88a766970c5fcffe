import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { WordMatcher } from '@sms/domain-word-matcher';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { RevisionPoller } from '../reload/revision-poller';
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
  private readonly poller: RevisionPoller;
  private revision = '0';
  private loaded = false;
  private reloadedAtMs = 0;

  constructor(
    private readonly repository: InterceptionWordsRepository,
    @Inject(INTERCEPTION_CONFIG) config: InterceptionConfig,
  ) {
    this.poller = new RevisionPoller(
      'interception words',
      config.WORDS_RELOAD_INTERVAL_MS,
      () => this.reloadChanged(),
      this.logger,
    );
  }

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
    this.poller.start();
  }

  onApplicationShutdown(): void {
    this.poller.stop();
  }

  get ready(): boolean {
    return this.loaded;
  }

  /** The revision in memory and when the last poll succeeded (metrics). */
  get state(): { revision: string; reloadedAtMs: number } {
    return { revision: this.revision, reloadedAtMs: this.reloadedAtMs };
  }

  platform(): WordMatcher | undefined {
    return this.matchers.get('PLATFORM');
  }

  account(accountId: string): WordMatcher | undefined {
    return this.matchers.get(listKeyOf('ACCOUNT', accountId));
  }

  /** Rebuilds the lists changed since the last reload (one at a time; overlapping calls share). */
  reload(): Promise<void> {
    return this.poller.poll();
  }

  private async reloadChanged(): Promise<void> {
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
  }
}

function toMatcher(words: readonly InterceptionWordEntity[]): WordMatcher {
  return new WordMatcher(words.map((w) => ({ id: w.id, word: w.word })));
}
