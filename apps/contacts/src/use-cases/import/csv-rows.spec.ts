import { DomainError } from '@cp/contracts';
import { Readable } from 'node:stream';
import { detectDelimiter, readCsvRows } from './csv-rows';
import { validateRow } from './import-rows';

const rowsOf = async (text: string, chunk = 7) => {
  const bytes = Buffer.from(text, 'utf8');
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  return readCsvRows(Readable.from(chunks));
};

describe('reading an import file', () => {
  it('finds the delimiter from the header line, outside quotes', () => {
    expect(detectDelimiter('Client;First name;Email')).toBe(';');
    expect(detectDelimiter('"Client; name",First,Email')).toBe(',');
    expect(detectDelimiter('Client\tFirst\tEmail')).toBe('\t');
  });

  it('reads a BOM, semicolons, quotes and loose headers in small chunks', async () => {
    const rows = await rowsOf(
      '\uFEFFClient name;FIRST_NAME;Surname;E-mail;Phone number\r\n"A; B";Ada;Lovelace;a@x.example;\r\n',
    );
    expect(rows).toEqual([
      {
        row: 2,
        clientName: 'A; B',
        kind: '',
        firstName: 'Ada',
        lastName: 'Lovelace',
        fullName: '',
        email: 'a@x.example',
        phone: '',
      },
    ]);
  });

  it('refuses a header without names or emails, and more than 10,000 rows', async () => {
    await expect(rowsOf('foo,bar\n1,2\n')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const big = 'Email\n' + Array.from({ length: 10_001 }, (_, i) => `p${i}@x.example`).join('\n');
    await expect(rowsOf(big, 64 * 1024)).rejects.toBeInstanceOf(DomainError);
    await expect(rowsOf(big, 64 * 1024)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });
});

describe('checking a row', () => {
  const base = { row: 2, clientName: '', kind: '', firstName: '', lastName: '', fullName: '', email: '', phone: '' };

  it('splits a full name and names the client after the person when none is given', () => {
    expect(validateRow({ ...base, fullName: 'Ada King Lovelace', email: 'ADA@x.example' })).toEqual({
      valid: expect.objectContaining({
        firstName: 'Ada King',
        lastName: 'Lovelace',
        clientName: 'Ada King Lovelace',
        kind: 'individual',
        email: 'ada@x.example',
      }),
    });
  });

  it.each([
    [{ firstName: 'Ada' }, 'MISSING_NAME'],
    [{ firstName: 'Ada', lastName: 'L', email: 'nope' }, 'BAD_EMAIL'],
    [{ firstName: 'Ada', lastName: 'L', phone: 'call me' }, 'BAD_PHONE'],
    [{ firstName: 'Ada', lastName: 'L', kind: 'spaceship' }, 'BAD_KIND'],
    [{ firstName: 'A'.repeat(101), lastName: 'L' }, 'VALUE_TOO_LONG'],
  ])('skips %j with %s', (cells, code) => {
    expect(validateRow({ ...base, ...cells })).toEqual({
      skipped: expect.objectContaining({ status: 'skipped', code }),
    });
  });
});
