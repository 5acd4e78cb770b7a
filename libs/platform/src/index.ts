export * from './bootstrap';
export * from './correlation';
export * from './health';
export * from './internal-token.guard';
export * from './logging';
export * from './problem.filter';
export * from './validation';
export * from './tenancy';
