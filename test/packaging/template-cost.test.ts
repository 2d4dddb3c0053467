/**
 * The figures of README "Why a custom resource, and what it costs" are measured (scripts/template-cost.ts):
 * the provider is per stack (each further profile adds one resource), and the README's table still says
 * what the script measures today: resource counts exactly, template sizes within 15 %.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CASES, measure, type TemplateCost } from '../../scripts/template-cost';

let costs: TemplateCost[];
beforeAll(() => {
  costs = CASES.map((c) => measure(c.name, c.profiles, c.build));
});

test('a plain CfnSecurityProfile is one resource; the provider is shared by every profile of a stack', () => {
  const [defaults, driftOff, ten, l1] = costs;
  expect(l1.resources).toBe(1);
  expect(l1.byType).toEqual({ 'AWS::Connect::SecurityProfile': 1 });
  expect(driftOff.resources).toBeLessThan(defaults.resources);
  expect(ten.resources).toBe(defaults.resources + 9);
  expect(ten.byType['Custom::ConnectSecurityProfile']).toBe(10);
  expect(ten.byType['AWS::Lambda::Function']).toBe(defaults.byType['AWS::Lambda::Function']);
  expect(defaults.assetBytes).toBeGreaterThan(500 * 1024);
});

test("the README's table matches the measurement (rerun `npx tsx scripts/template-cost.ts` and update the table if not)", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (1|10) × `[^|]+\| (\d+) \| ([\d.]+) KB \| ([\d.]+) KB \|/gm)]
    .map((m) => ({ resources: Number(m[2]), templateKb: Number(m[3]), compactKb: Number(m[4]) }));
  expect(rows).toHaveLength(costs.length);
  rows.forEach((row, i) => {
    expect({ case: costs[i].name, resources: row.resources }).toEqual({ case: costs[i].name, resources: costs[i].resources });
    expect(Math.abs(row.templateKb * 1024 - costs[i].templateBytes) / costs[i].templateBytes).toBeLessThan(0.15);
    expect(Math.abs(row.compactKb * 1024 - costs[i].compactBytes) / costs[i].compactBytes).toBeLessThan(0.15);
  });
});
