import { Injectable } from '@nestjs/common';

/**
 * Serialises this process's writes to one document. FerretDB v1 applies an update by reading
 * the whole document and writing it back, so two concurrent updates of one document (say, the
 * outbox relay removing a published event while an API call changes the contact) can lose one
 * of them. MongoDB updates are atomic and need none of this; one replica on FerretDB is safe.
 */
@Injectable()
export class DocumentLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nothing else queued behind this write.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
