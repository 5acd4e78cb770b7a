import type { QueryFilter } from 'mongoose';

declare const firmBrand: unique symbol;

/**
 * The caller's firm, as established by authentication. Repositories take it as their first
 * argument and add it to every filter, so a query without the tenant does not compile.
 */
export type FirmScope = { readonly firmId: string } & { readonly [firmBrand]: true };

export function firmScope(firmId: string): FirmScope {
  return { firmId } as FirmScope;
}

/** A filter for one tenant: the firmId can't be given by the caller, only by the scope. */
export type TenantFilter<T> = Omit<QueryFilter<T>, 'firmId'>;

export function scoped<T>(scope: FirmScope, filter: TenantFilter<T> = {} as TenantFilter<T>): QueryFilter<T> {
  return { ...filter, firmId: scope.firmId };
}
