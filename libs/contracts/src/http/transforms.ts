import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/** Trims surrounding white space from string input. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Emails compare case-insensitively: stored and matched lower-cased. */
export const NormalizeEmail = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/**
 * A field that may be left out, but is not nullable: `null` is checked like any value, and
 * refused. (`@IsOptional()` skips both, so `{"firstName": null}` would erase a required field.)
 */
export const Omittable = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);
