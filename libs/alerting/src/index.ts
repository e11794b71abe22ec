export * from './alert-versioning';
export * from './alert-issuer';
