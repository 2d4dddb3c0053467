// Entry of the bundled handler (assets/handler/index.js): `index.onEvent` for CloudFormation events.
export { handler as onEvent } from './security-profile.lambda';
