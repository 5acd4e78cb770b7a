// First: instrumentation must patch `http` before anything else loads it (see tracing.ts).
export * from './tracing';
export * from './bootstrap';
export * from './correlation';
export * from './health';
export * from './internal-token.guard';
export * from './logging';
export * from './problem.filter';
export * from './validation';
export * from './tenancy';
export * from './cursor';
export * from './request-body';
export * from './polling-job';
export * from './process-faults';
export * from './metrics';
export * from './multipart-upload';
export * from './shutdown';
