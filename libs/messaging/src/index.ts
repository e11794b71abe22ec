export * from './kafka-client';
export * from './consumed-message';
export * from './kafka-batch.server';
export * from './kafka-publisher';
export * from './dead-letter.publisher';
export * from './messaging.module';
export * from './parse-batch';
export * from './batch-coalescer';
