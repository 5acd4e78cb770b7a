export * from './dead-letters';
export * from './event-handling';
export * from './event-publisher';
export * from './kafka-options';
export * from './kafka-readiness';
export * from './messaging.module';
export * from './outbox';
export * from './topics-admin';
