/**
 * Detects a file's type from its first bytes. The uploader's Content-Type is never trusted:
 * a page that claims to be a PDF is stored, and served, as what its bytes are. A small table of
 * the formats an accounting firm exchanges; anything else is application/octet-stream.
 */

/** How many leading bytes detection looks at. */
export const SNIFF_BYTES = 4100;

interface Signature {
  type: string;
  offset?: number;
  bytes: number[] | string;
}

const SIGNATURES: Signature[] = [
  { type: 'application/pdf', bytes: '%PDF-' },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: 'GIF87a' },
  { type: 'image/gif', bytes: 'GIF89a' },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'image/bmp', bytes: 'BM' },
  { type: 'image/heic', offset: 4, bytes: 'ftypheic' },
  { type: 'image/heic', offset: 4, bytes: 'ftypmif1' },
  { type: 'video/mp4', offset: 4, bytes: 'ftyp' },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-7z-compressed', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/rtf', bytes: '{\\rtf' },
  { type: 'application/x-ole-storage', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
];

/** Office Open XML documents are zip files; the first entries name which kind. */
const OOXML: [string, string][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

function matches(head: Buffer, signature: Signature): boolean {
  const expected = typeof signature.bytes === 'string' ? Buffer.from(signature.bytes, 'latin1') : signature.bytes;
  const offset = signature.offset ?? 0;
  if (head.length < offset + expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (head[offset + i] !== expected[i]) return false;
  return true;
}

/** Text when the bytes decode as UTF-8 with no control characters but tab, CR, LF, FF. */
function looksLikeText(head: Buffer, complete: boolean): boolean {
  if (head.length === 0) return false;
  // A multi-byte character may be cut at the end of the sniffed window.
  const sample = complete ? head : head.subarray(0, Math.max(0, head.length - 4));
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

/**
 * The type of a file from its first bytes (`complete` when that is the whole file), and the
 * sanitised name only to tell apart formats that share a container (CSV is text, DOCX is zip).
 */
export function detectContentType(head: Buffer, name: string, complete: boolean): string {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  const signature = SIGNATURES.find((s) => matches(head, s));
  if (signature?.type === 'application/zip') {
    const listing = head.toString('latin1');
    const office = OOXML.find(([folder]) => listing.includes(folder));
    if (office && listing.includes('[Content_Types].xml')) return office[1];
    return signature.type;
  }
  if (signature) return signature.type;
  if (looksLikeText(head, complete)) {
    const start = head.toString('utf8', 0, 64).trimStart();
    if (start.startsWith('<?xml')) return 'application/xml';
    if (extension === 'csv') return 'text/csv';
    return 'text/plain';
  }
  return 'application/octet-stream';
}
