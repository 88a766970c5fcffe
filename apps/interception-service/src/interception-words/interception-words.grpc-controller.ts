import { Controller } from '@nestjs/common';
import { interceptionV1, type Timestamp } from '@sms/contracts';
import { grpcMethods, INTERCEPTION_SERVICE } from '../interception/grpc-methods';
import type { InterceptionWordEntity, WordListName } from './interception-word.entity';
import { InvalidWordRequestError } from './interception-words.errors';
import { InterceptionWordsService } from './interception-words.service';

type WordRpcs = Pick<
  interceptionV1.InterceptionServiceController,
  'listInterceptionWords' | 'addInterceptionWords' | 'removeInterceptionWords'
>;

function listFromProto(value: interceptionV1.WordList | number): WordListName | undefined {
  if (value === interceptionV1.WordList.WORD_LIST_PLATFORM) return 'PLATFORM';
  if (value === interceptionV1.WordList.WORD_LIST_ACCOUNT) return 'ACCOUNT';
  if (value === interceptionV1.WordList.WORD_LIST_UNSPECIFIED || value === 0) return undefined;
  throw new InvalidWordRequestError(`list has an unknown value ${String(value)}`);
}

function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function wordToProto(word: InterceptionWordEntity): interceptionV1.InterceptionWord {
  return {
    wordId: word.id,
    word: word.word,
    list: `WORD_LIST_${word.list}` as interceptionV1.WordList,
    accountId: word.accountId,
    createdAt: timestamp(word.createdAt),
    createdBy: word.createdBy,
  };
}

/** The interception-word RPCs: maps proto ⇄ domain, nothing else. */
@Controller()
@grpcMethods(INTERCEPTION_SERVICE, [
  'listInterceptionWords',
  'addInterceptionWords',
  'removeInterceptionWords',
])
export class InterceptionWordsGrpcController implements WordRpcs {
  constructor(private readonly words: InterceptionWordsService) {}

  async listInterceptionWords(
    request: interceptionV1.ListInterceptionWordsRequest,
  ): Promise<interceptionV1.ListInterceptionWordsResponse> {
    const page = await this.words.list(
      { accountId: request.accountId, asOperator: request.asOperator },
      listFromProto(request.list),
      request.pageSize,
      request.pageToken,
    );
    return { words: page.words.map(wordToProto), nextPageToken: page.nextPageToken };
  }

  async addInterceptionWords(
    request: interceptionV1.AddInterceptionWordsRequest,
  ): Promise<interceptionV1.AddInterceptionWordsResponse> {
    const { words, added } = await this.words.add(
      { accountId: request.accountId, asOperator: request.asOperator },
      listFromProto(request.list),
      request.words,
      request.actor,
    );
    return { words: words.map(wordToProto), added };
  }

  async removeInterceptionWords(
    request: interceptionV1.RemoveInterceptionWordsRequest,
  ): Promise<interceptionV1.RemoveInterceptionWordsResponse> {
    const removed = await this.words.remove(
      { accountId: request.accountId, asOperator: request.asOperator },
      listFromProto(request.list),
      request.wordIds,
    );
    return { removed };
  }
}
