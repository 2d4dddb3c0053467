// Re-exports only.
export * from './instance';
export * from './hierarchy';
export { Permission } from './permissions.generated';
export * from './search';
export * from './access-control';
export * from './applications';
export * from './security-profile';
export * from './drift';
export * from './settings';
export * from './assignment';
