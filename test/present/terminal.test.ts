import { describe, expect, it } from 'vitest';
import { table } from '../../src/format.ts';
import { terminalText } from '../../src/present/terminal.ts';

const ESC = '\u001b';

describe('terminalText: outside text made safe for a terminal (issue 21 item 12)', () => {
  it('removes CSI, OSC (title, hyperlink), 8-bit CSI and a lone ESC', () => {
    expect(terminalText(`a${ESC}[31mred${ESC}[0m`)).toBe('ared');
    expect(terminalText(`x${ESC}]0;owned\u0007y`)).toBe('xy');
    expect(terminalText(`x${ESC}]8;;http://evil${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('xlink');
    expect(terminalText('c\u009b2Jz')).toBe('cz');
    expect(terminalText(`end${ESC}`)).toBe('end');
  });

  it('removes C0/C1 controls and bidi overrides, keeps newline, tab and any script', () => {
    expect(terminalText('n\u0000u\u0007l\u0008\u007f\u0085')).toBe('nul');
    expect(terminalText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(terminalText('a\u2066b\u2069c')).toBe('abc');
    expect(terminalText('line\n\tnext')).toBe('line\n\tnext');
    expect(terminalText('line\n\tnext', { oneLine: true })).toBe('line next');
    expect(terminalText('Läufer 日本 עברית 🏃')).toBe('Läufer 日本 עברית 🏃');
  });

  it('table cells are one clean line each, padded by what is shown', () => {
    const out = table([
      ['device', 'x'],
      [`fr${ESC}[2J55\nmore`, 'y'],
    ]);
    expect(out).toBe('device     x\nfr55 more  y');
  });
});
