/** A CSV cell: text, a number, a yes/no, or empty (null). */
export type CsvCell = string | number | boolean | null;

/** Text that a spreadsheet would run as a formula (OWASP "CSV injection"), with tab and CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell, RFC 4180: numbers as written, booleans as `yes`/`no`, null as empty; text that
 * starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` so a spreadsheet shows
 * it as text; a cell holding a comma, quote or line break is quoted with quotes doubled.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: a header row, then the rows, CRLF line ends (RFC 4180). */
export function csv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
