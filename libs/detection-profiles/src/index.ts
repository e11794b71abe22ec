export * from './detection-profile';
export * from './profile-selection';
