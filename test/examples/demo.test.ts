/**
 * The parts of the demo's local CloudFormation player that decide what gets deployed: intrinsic
 * functions, dependency order, and custom-resource property strings. The demo's own exit code covers the
 * end-to-end run (`npm run demo`); these tests pin the rules it relies on and check that the example
 * app's real template uses nothing the player cannot resolve.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp, EXAMPLE_STACK_NAME } from '../../examples/app';
import { readAssembly } from '../../local/cloudformation/assembly';
import { stringifyScalars } from '../../local/cloudformation/custom-resource';
import { evaluateConditions, resolveValue, type ResolveContext } from '../../local/cloudformation/intrinsics';
import { creationOrder, dependencyGraph, type TemplateResource } from '../../local/cloudformation/order';
import { GUARDRAIL } from '../../src/private/guardrails';

const ctx: ResolveContext = {
  pseudo: { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::StackName': 'S' },
  parameters: { Env: 'prod' },
  conditions: { IsProd: true },
  mappings: { Sizes: { prod: { Memory: 512 } } },
  ref: (id) => `physical-${id}`,
  getAtt: (id, attr) => `${id}.${attr}`,
};

describe('intrinsic functions', () => {
  test.each([
    ['Ref to a resource', { Ref: 'Table' }, 'physical-Table'],
    ['Ref to a pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Ref to a parameter', { Ref: 'Env' }, 'prod'],
    ['Fn::GetAtt as a list', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'Fn.Arn'],
    ['Fn::GetAtt as a string', { 'Fn::GetAtt': 'Fn.Arn' }, 'Fn.Arn'],
    ['Fn::Join', { 'Fn::Join': ['/', ['a', { Ref: 'X' }, 'c']] }, 'a/physical-X/c'],
    ['Fn::Split then Fn::Select', { 'Fn::Select': [3, { 'Fn::Split': ['/', 'arn:x:instance/i-1/agent-group/g-2'] }] }, 'g-2'],
    ['Fn::Sub with references', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${Fn.Arn}' }, 'arn:aws:s3:::physical-Bucket/Fn.Arn'],
    ['Fn::Sub with variables and a literal', { 'Fn::Sub': ['${A}-${!Literal}', { A: { Ref: 'B' } }] }, 'physical-B-${Literal}'],
    ['Fn::If', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] }, 512],
  ])('%s', (_name, input, expected) => {
    expect(resolveValue(input, ctx)).toEqual(expected);
  });

  test('AWS::NoValue removes the property and the list entry', () => {
    const value = { Keep: 1, Drop: { Ref: 'AWS::NoValue' }, List: ['a', { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'b'] }] };
    expect(resolveValue(value, ctx)).toEqual({ Keep: 1, List: ['a'] });
  });

  test('an unsupported function fails with its name, instead of deploying it unresolved', () => {
    expect(() => resolveValue({ P: { 'Fn::ImportValue': 'Shared' } }, ctx)).toThrow(/Fn::ImportValue at P is not supported/);
  });

  test('conditions are evaluated in dependency order', () => {
    const conditions = evaluateConditions({
      Both: { 'Fn::And': [{ Condition: 'IsUsEast1' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] }] }] },
      IsUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    }, ctx);
    expect(conditions).toEqual({ Both: true, IsUsEast1: true });
  });
});

describe('dependency order', () => {
  test('references and DependsOn come first; ties keep template order', () => {
    const resources: Record<string, TemplateResource> = {
      Profile: { Type: 'Custom::X', Properties: { Group: { 'Fn::GetAtt': ['Group', 'Arn'] }, Token: { 'Fn::Sub': '${Provider.Arn}' } } },
      Group: { Type: 'AWS::Connect::UserHierarchyGroup', DependsOn: 'Levels' },
      Provider: { Type: 'AWS::Lambda::Function' },
      Levels: { Type: 'AWS::Connect::UserHierarchyStructure' },
    };
    expect(creationOrder(dependencyGraph(resources))).toEqual(['Levels', 'Group', 'Provider', 'Profile']);
  });

  test('a cycle is refused with its path', () => {
    const resources: Record<string, TemplateResource> = {
      A: { Type: 'T', Properties: { B: { Ref: 'B' } } },
      B: { Type: 'T', DependsOn: ['A'] },
    };
    expect(() => creationOrder(dependencyGraph(resources))).toThrow(/circular dependency between resources: A -> B -> A/);
  });

  test('a reference to a missing resource is refused', () => {
    expect(() => dependencyGraph({ A: { Type: 'T', Properties: { B: { Ref: 'Gone' } } } })).toThrow(/A refers to Gone/);
  });
});

test('custom resource properties arrive as CloudFormation sends them: every scalar a string', () => {
  expect(stringifyScalars({ N: 5, B: true, L: [1, 'x', { F: false }], S: 's' })).toEqual({ N: '5', B: 'true', L: ['1', 'x', { F: 'false' }], S: 's' });
});

test("the example app's template uses only what the player resolves, in an order it can create", () => {
  const app = buildApp(new App({ context: { instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555' } }));
  type Synthesized = { Resources: Record<string, TemplateResource>; Parameters?: Record<string, unknown> };
  const template = app.synth().getStackByName(EXAMPLE_STACK_NAME).template as Synthesized;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const order = creationOrder(dependencyGraph(template.Resources, parameters));
  expect(order).toHaveLength(Object.keys(template.Resources).length);
  const created = new Set<string>();
  const stackCtx: ResolveContext = {
    ...ctx,
    parameters: Object.fromEntries([...parameters].map((p) => [p, 'value'])),
    conditions: {},
    ref: (id) => {
      expect(created.has(id)).toBe(true); // referenced only after it is created
      return `physical-${id}`;
    },
    getAtt: (id, attr) => {
      expect(created.has(id)).toBe(true);
      // shaped like a hierarchy group ARN, which the template splits on '/'
      return `arn:aws:connect:us-east-1:123456789012:instance/i-1/agent-group/${id}-${attr}`;
    },
  };
  for (const id of order) {
    expect(() => resolveValue(template.Resources[id].Properties ?? {}, stackCtx)).not.toThrow();
    created.add(id);
  }
  // the hierarchy levels come before the groups, the groups before the profiles restricted to them
  const position = (type: string) => order.findIndex((id) => template.Resources[id].Type === type);
  expect(position('AWS::Connect::UserHierarchyStructure')).toBeLessThan(position('AWS::Connect::UserHierarchyGroup'));
  expect(position('AWS::Connect::UserHierarchyGroup')).toBeLessThan(position('Custom::ConnectSecurityProfile'));
});

test("the assembly reader returns the example app's guardrail warnings, with their ids, from the stack's metadata file", () => {
  // GIVEN the example app synthesized into a cloud assembly, as the demo does
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-warnings-'));
  try {
    buildApp(new App({ outdir, context: { instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555' } })).synth();

    // WHEN
    const stack = readAssembly(outdir).find((s) => s.stackName === EXAMPLE_STACK_NAME)!;

    // THEN one hierarchyRestrictionNotCovered warning per supervisor (each may view the agent hierarchy), the
    // message without its `[ack: ...]` suffix
    expect(stack.warnings.map((w) => [w.path, w.id])).toEqual(['BpoASupervisor', 'BpoBSupervisor', 'BpoCSupervisor']
      .map((p) => [`/${EXAMPLE_STACK_NAME}/${p}`, GUARDRAIL.hierarchyNotCovered]));
    expect(stack.warnings[0].message).toMatch(/^this profile restricts its holders by hierarchy, but it grants 'AgentGrouping.View'.*Overview: https:\S+\)$/);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
