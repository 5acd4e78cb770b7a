export * from './http';
export * from './kafka-tap';
export * from './service-process';
export * from './stack';
export * from './mailbox';
export * from './private-smtp';
export * from './gateway-client';
export * from './gateway-stack';
