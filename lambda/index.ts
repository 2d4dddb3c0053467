// Entry of the bundled handler (assets/handler/index.js). Filled in by the handler issue.
export {};
