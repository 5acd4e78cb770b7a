import { DomainError, ErrorCode } from '@cp/contracts';

/** Position after the last item of a page: items are ordered by (createdAt, _id). */
interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(item: { createdAt: Date; _id: string }): string {
  const position: CursorPosition = { at: new Date(item.createdAt).toISOString(), id: item._id };
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The filter for "after this cursor"; a cursor that was not ours is a client error. */
export function afterCursor(cursor: string | undefined): Record<string, unknown> {
  if (!cursor) return {};
  let position: CursorPosition;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as CursorPosition;
  } catch {
    throw invalidCursor();
  }
  const at = new Date(position?.at);
  if (typeof position?.id !== 'string' || Number.isNaN(at.getTime())) throw invalidCursor();
  return { $or: [{ createdAt: { $gt: at } }, { createdAt: at, _id: { $gt: position.id } }] };
}

export const PAGE_ORDER = { createdAt: 1, _id: 1 } as const;

/** Builds a page from `limit + 1` fetched items: the extra one only says there is more. */
export function toPage<T extends { createdAt: Date; _id: string }, V>(
  fetched: T[],
  limit: number,
  view: (item: T) => V,
): { items: V[]; nextCursor: string | null } {
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: fetched.length > limit && last ? encodeCursor(last) : null };
}

function invalidCursor(): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'The cursor is not valid.', {
    errors: [{ field: 'cursor', message: 'cursor must be a nextCursor from a previous page' }],
  });
}

/** Newest first, for logs read backwards in time (the audit trail): (at, _id) descending. */
export const NEWEST_FIRST = { at: -1, _id: -1 } as const;

export function encodeNewestFirstCursor(item: { at: Date; _id: string }): string {
  return encodeCursor({ createdAt: item.at, _id: item._id });
}

/** The filter for "older than this cursor" in NEWEST_FIRST order. */
export function beforeCursor(cursor: string | undefined): Record<string, unknown> {
  const after = afterCursor(cursor) as {
    $or?: [{ createdAt: { $gt: Date } }, { createdAt: Date; _id: { $gt: string } }];
  };
  if (!after.$or) return {};
  const at = after.$or[1].createdAt;
  const id = after.$or[1]._id.$gt;
  return { $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] };
}
