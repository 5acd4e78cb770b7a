import { csvField } from './audit-csv';

describe('csvField', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvField(null)).toBe('""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
  });

  it.each(['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx'])('neutralises the formula-like %j', (value) => {
    expect(csvField(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  it('leaves values that only contain those characters later on', () => {
    expect(csvField('a=b')).toBe('"a=b"');
    expect(csvField('2026-01-02T03:04:05.000Z')).toBe('"2026-01-02T03:04:05.000Z"');
  });
});
