export * from './enums';
export * from './tag-filter';
export * from './user-attribute-filter';
export * from './user-search-criteria';
export * from './user-search-filter';
