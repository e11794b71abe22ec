export * from './detection-scores';
export * from './disposition-precision';
export * from './alerted-accounts';
export * from './amount-rescaling';
export * from './laundering-patterns';
export * from './mule-detector-scores';
export * from './missed-positives';
