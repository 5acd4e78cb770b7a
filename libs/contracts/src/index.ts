export * from './topics';
export * from './events';
export * from './envelope';
export * from './error-codes';
export * from './portal-status';
export * from './http';
