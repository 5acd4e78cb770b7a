export * from './opaque-tokens';
export * from './passwords';
export * from './sealed-box';
export * from './refresh-token-families';
export * from './password-reset-links';
export * from './account-passwords';
export * from './two-step';
