export * from './minor-units';
export * from './reference-amount';
