/** File names as the firm and the contacts see them. A name is display data, never a storage key. */

const MAX_NAME_BYTES = 255;
// Path separators, characters Windows refuses, and every control or bidi-override character.
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last path segment, without control, bidi or reserved characters, without leading dots,
 * at most 255 UTF-8 bytes with its extension kept; "file" when nothing is left.
 */
export function sanitizeFileName(raw: string | undefined | null): string {
  const lastSegment = (raw ?? '').split(/[/\\]/).pop() ?? '';
  let name = lastSegment.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s_]+/, '').replace(/[.\s]+$/, '');
  if (!name) return 'file';
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - extension.length);
  while (Buffer.byteLength(stem + extension) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
  return stem + extension;
}

/**
 * Content-Disposition for a download (RFC 6266): an ASCII fallback for old clients and the
 * exact name in `filename*` (RFC 8187, UTF-8, percent-encoded).
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
