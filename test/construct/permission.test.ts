import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Permission } from '../../src';
import { DOCUMENTED_PERMISSIONS } from '../../src/permissions.generated';

const REPO = path.join(__dirname, '..', '..');
const CATALOGUE = path.resolve(REPO, 'connect-model', 'permissions.json');

describe('Permission', () => {
  test('has one constant per documented permission of the catalogue', () => {
    // GIVEN
    const catalogue = JSON.parse(fs.readFileSync(CATALOGUE, 'utf8')) as { permissions: Array<{ apiName: string }> };

    // WHEN
    const constants = Object.values(Permission).filter((v): v is Permission => v instanceof Permission).map((p) => p.name).sort();

    // THEN
    expect(constants).toEqual(catalogue.permissions.map((p) => p.apiName).sort());
    expect(DOCUMENTED_PERMISSIONS.size).toBe(catalogue.permissions.length);
  });

  test('the committed file is what the generator produces from the catalogue', () => {
    // a stale file fails here; `npx projen permissions:generate` fixes it
    expect(() => execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['scripts/generate-permissions.ts', '--check'], { cwd: REPO, stdio: 'pipe' }))
      .not.toThrow();
  });

  test('constant names follow the API names', () => {
    expect(Permission.BASIC_AGENT_ACCESS.name).toBe('BasicAgentAccess');
    expect(Permission.Q_CONNECT_AI_AGENTS_VIEW.name).toBe('QConnectAIAgents.View');
    expect(Permission.ACCESS_METRICS_DASHBOARDS_WITH_MY_DATA_VIEW.name).toBe('AccessMetrics.DashboardsWithMyData.View');
    expect(`${Permission.USERS_VIEW}`).toBe('Users.View');
  });

  test('of() returns the constant for a documented name and a new permission otherwise', () => {
    expect(Permission.of('Users.View')).toBe(Permission.USERS_VIEW);
    expect(Permission.of('Brand.New.Feature').name).toBe('Brand.New.Feature');
  });
});
