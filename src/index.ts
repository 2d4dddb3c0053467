// Re-exports only.
export * from './instance';
export * from './hierarchy';
export { Permission } from './permissions.generated';
