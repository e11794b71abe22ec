export * from './detection-scores';
