import { detectContentType } from './content-type';

const bytes = (...values: number[]) => Buffer.from(values);

describe('detectContentType', () => {
  it.each([
    [Buffer.from('%PDF-1.7\n...'), 'x.txt', 'application/pdf'],
    [bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), 'x.pdf', 'image/png'],
    [bytes(0xff, 0xd8, 0xff, 0xe0), 'x', 'image/jpeg'],
    [Buffer.from('GIF89a....'), 'x', 'image/gif'],
    [bytes(0x49, 0x49, 0x2a, 0x00, 1), 'x', 'image/tiff'],
    [Buffer.concat([bytes(0, 0, 0, 0x18), Buffer.from('ftypheic')]), 'x', 'image/heic'],
    [bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), 'old.xls', 'application/x-ole-storage'],
    [bytes(0x1f, 0x8b, 8), 'x.gz', 'application/gzip'],
    [Buffer.from('name,amount\nAda,12\n'), 'book.csv', 'text/csv'],
    [Buffer.from('just some notes'), 'notes', 'text/plain'],
    [Buffer.from('<?xml version="1.0"?><a/>'), 'a.xml', 'application/xml'],
    [bytes(0, 1, 2, 3, 0xfe), 'x.pdf', 'application/octet-stream'],
    [Buffer.alloc(0), 'empty.pdf', 'application/octet-stream'],
  ])('%#: %s named %p is %p', (head, name, expected) => {
    expect(detectContentType(head, name, true)).toBe(expected);
  });

  it('tells Office Open XML from a plain zip by its first entries', () => {
    const docx = Buffer.concat([
      bytes(0x50, 0x4b, 0x03, 0x04),
      Buffer.from('....[Content_Types].xml....word/document.xml'),
    ]);
    expect(detectContentType(docx, 'a.docx', false)).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const zip = Buffer.concat([bytes(0x50, 0x4b, 0x03, 0x04), Buffer.from('....photos/1.jpg')]);
    expect(detectContentType(zip, 'a.docx', false)).toBe('application/zip');
  });

  it('does not call text what a cut multi-byte character ends (only the window is cut)', () => {
    const cut = Buffer.from('résumé', 'utf8').subarray(0, 7);
    expect(detectContentType(cut, 'a.txt', false)).toBe('text/plain');
  });
});
