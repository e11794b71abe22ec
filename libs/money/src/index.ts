export * from './minor-units';
export * from './reference-amount';
export * from './half-even';
