export * from './topics';
export * from './primitives.schema';
export * from './bank-transfer-received.schema';
export * from './transfer-accepted.schema';
export * from './alert-raised.schema';
export * from './dead-letter';
export * from './parse';
export * from './pacs008.schema';
