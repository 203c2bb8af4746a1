import { describe, expect, it } from 'vitest';
import { csv, csvCell } from '../../src/present/csv.ts';

describe('CSV cells', () => {
  it('keeps text a spreadsheet would run as a formula as text, with a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1 knee')).toBe("'+1 knee");
    expect(csvCell('-ish, after stairs')).toBe(`"'-ish, after stairs"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('sore = 3')).toBe('sore = 3');
  });

  it('quotes commas, quotes and line breaks, and writes numbers, yes/no and empty as such', () => {
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(true)).toBe('yes');
    expect(csvCell(false)).toBe('no');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });
});
