// The public API is re-exported here as it lands (see README).
export {};
