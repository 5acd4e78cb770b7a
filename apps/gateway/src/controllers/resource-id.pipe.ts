import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';

/** Our ids are UUIDs; this admits any plausible id and keeps junk away from the services. */
const PLAUSIBLE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A path id that cannot be one of ours names nothing: 404, exactly like an unknown id. */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!PLAUSIBLE_ID.test(value)) throw new DomainError(ErrorCode.NotFound, `No such ${this.what}.`);
    return value;
  }
}
