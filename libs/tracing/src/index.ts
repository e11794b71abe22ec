export * from './trace-proceeds';
