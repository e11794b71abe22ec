export * from './alert-versioning';
export * from './alert-issuer';
export * from './fit-alert';
export * from './issued-alert-states';
