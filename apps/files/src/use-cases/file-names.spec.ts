import { contentDisposition, sanitizeFileName } from './file-names';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ada\\W-2 2025.pdf', 'W-2 2025.pdf'],
    ['  .hidden  ', 'hidden'],
    ['report\u202Efdp.exe', 'report_fdp.exe'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['what?<>|*.pdf', 'what_____.pdf'],
    ['', 'file'],
    [undefined, 'file'],
    ['...', 'file'],
    ['Tax Return «final».pdf', 'Tax Return «final».pdf'],
  ])('%p → %p', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('keeps at most 255 UTF-8 bytes and the extension', () => {
    const name = sanitizeFileName(`${'ä'.repeat(300)}.pdf`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('ä.pdf')).toBe(true);
  });

  it('writes RFC 6266 Content-Disposition with an ASCII fallback and filename*', () => {
    expect(contentDisposition('Tax «final» (1).pdf')).toBe(
      `attachment; filename="Tax _final_ (1).pdf"; filename*=UTF-8''Tax%20%C2%ABfinal%C2%BB%20%281%29.pdf`,
    );
    expect(contentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });
});
