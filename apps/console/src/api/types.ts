// Names for the generated answer types the pages use.
import type { paths } from './client';

type Ok<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } }
  ? B
  : T extends { responses: { 201: { content: { 'application/json': infer B } } } }
    ? B
    : never;

export type MessageWithLog = Ok<paths['/v1/messages/{messageId}']['get']>;
export type Message = Ok<paths['/v1/messages']['get']>['data'][number];
export type SendLogItem = NonNullable<MessageWithLog['sendLog']>[number];
export type Entry = Ok<paths['/v1/block-list/{entryId}']['get']>;
export type CheckResult = Ok<paths['/v1/block-list/check']['get']>;
export type Unsubscribe = Ok<paths['/v1/unsubscribes']['get']>['data'][number];
export type Reply = Ok<paths['/v1/replies']['get']>['data'][number];
export type SessionJson = Ok<paths['/v1/session']['get']>;
export type StatsJson = Ok<paths['/v1/stats/messages']['get']>;
export type StatsBucketJson = StatsJson['buckets'][number];
export type DeadLetter = Ok<paths['/v1/admin/dead-letters']['get']>['data'][number];
export type AccountJson = Ok<paths['/v1/admin/accounts']['get']>['data'][number];
export type InterceptionWord = Ok<paths['/v1/interception-words']['get']>['data'][number];
export type FrequencyLimitsJson = Ok<paths['/v1/frequency-limits']['get']>;
