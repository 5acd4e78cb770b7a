export * from './opaque-tokens';
export * from './passwords';
