import type { Response } from 'express';

/** The largest page the back ends serve: the fewest round trips per exported row. */
export const EXPORT_PAGE_SIZE = 500;

export type CsvValue = string | number | boolean | null | undefined | readonly string[];

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula gets a leading `'`, except
 * in columns whose values are validated and cannot carry a formula (E.164 phone numbers start
 * with `+` and are only digits after it). Lists are joined with `;`. Null is an empty field.
 */
export function csvField(value: CsvValue, guardFormula = true): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (guardFormula && typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[], unguarded: ReadonlySet<number>): string {
  return `${values.map((value, index) => csvField(value, !unguarded.has(index))).join(',')}\r\n`;
}

export interface CsvExport<T> {
  /** File name without extension; a UTC timestamp is appended. */
  readonly name: string;
  readonly columns: readonly (keyof T & string)[];
  /** Columns holding validated values that need no formula guard (E.164 numbers). */
  readonly unguarded?: readonly (keyof T & string)[];
  /** One page of rows and the token of the next ('' on the last). */
  page(pageToken: string): Promise<{ rows: T[]; nextPageToken: string }>;
}

/** Resolves when the response can take more, false when the client went away. */
function writable(response: Response): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}

/**
 * Streams every row of a paged list as text/csv: one page in memory at a time, the next page
 * fetched only when the client has taken the previous one (backpressure). The first page is
 * fetched before anything is written, so a refused request still gets its JSON error; a failure
 * later can only cut the download short (the connection is destroyed, never a silently short
 * file with a clean end).
 */
export async function streamCsv<T extends Record<string, unknown>>(
  response: Response,
  csv: CsvExport<T>,
): Promise<void> {
  let page = await csv.page('');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  response.setHeader('Content-Disposition', `attachment; filename="${csv.name}-${stamp}.csv"`);
  response.setHeader('Cache-Control', 'no-store');
  const unguarded = new Set(
    (csv.unguarded ?? []).map((column) => csv.columns.indexOf(column)).filter((i) => i >= 0),
  );
  const write = async (chunk: string): Promise<boolean> =>
    response.write(chunk, 'utf8') || (await writable(response));
  try {
    if (!(await write(csvRow(csv.columns, new Set(csv.columns.map((_, i) => i)))))) return;
    for (;;) {
      let chunk = '';
      for (const row of page.rows)
        chunk += csvRow(
          csv.columns.map((c) => row[c] as CsvValue),
          unguarded,
        );
      if (chunk && !(await write(chunk))) return;
      if (!page.nextPageToken) break;
      page = await csv.page(page.nextPageToken);
    }
    response.end();
  } catch (error) {
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
