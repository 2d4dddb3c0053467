// Entry of the bundled handler (assets/handler/index.js): `index.onEvent` for CloudFormation events,
// `index.reconcile` for the drift reconciler's schedule and change events.
export { handler as onEvent } from './security-profile.lambda';
export { reconcile } from './reconciler.lambda';
