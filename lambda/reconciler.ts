/**
 * Drift reconciliation between deploys: the scheduled sweep (sweep.ts) and the change-event path
 * (change-events.ts), both built on one profile's check (check-profile.ts).
 *
 * Both read the desired state the deploy-time handler recorded (state-table.ts), observe the live
 * profile through the same rate-limited `ConnectApi`, decide with the same pure `plan()` and, in
 * remediate mode, send the same calls with the same `applyPlan()`, holding the profile's lease
 * (lease.ts) so a deploy and a check never write one profile at once. Detect-only mode plans and
 * reports and never calls `applyPlan()`. A profile deleted out of band is reported missing, never
 * recreated here: the next deploy that updates it recreates it.
 */
export { checkAndRecord, CHECK_LEASE_PURPOSE, DEFAULT_CONSISTENCY_WINDOW_MS, isChecked } from './check-profile';
export type { ProfileOutcome, ReconcilerDeps } from './check-profile';
export { isChangeEvent, isOwnCaller, profileOfChangeEvent, reconcileChangeEvent } from './change-events';
export type { ChangeEventResult, CloudTrailUserIdentity, ConnectChangeEvent, IgnoredReason } from './change-events';
export { CURSOR_SAVE_EVERY, DEFAULT_SWEEP_CONCURRENCY, runSweep, summarize, SWEEP_LEASE_KEY } from './sweep';
export type { SweepOptions, SweepReport } from './sweep';
