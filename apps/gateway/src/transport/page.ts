/** Every list answer: one page and the token of the next (null on the last page). */
export interface Page<T> {
  readonly data: T[];
  readonly nextPageToken: string | null;
}
