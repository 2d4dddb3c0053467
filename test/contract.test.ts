import * as fs from 'fs';
import * as path from 'path';
import { OWNER_TAG_KEY, PROP } from '../src/private/contract';

const MODEL_PATH = path.join(__dirname, '..', 'connect-model', 'connect-subset.json');
const model = JSON.parse(fs.readFileSync(MODEL_PATH, 'utf8'));

describe('wire contract', () => {
  test('the owner tag key is a valid Connect tag key', () => {
    // GIVEN the model's TagKey constraints
    const tagKey = model.shapes.TagKey;
    // THEN our key satisfies them
    expect(OWNER_TAG_KEY.length).toBeGreaterThanOrEqual(tagKey.min);
    expect(OWNER_TAG_KEY.length).toBeLessThanOrEqual(tagKey.max);
    expect(new RegExp(tagKey.pattern, 'u').test(OWNER_TAG_KEY)).toBe(true);
  });

  test('every Connect field of the contract is a CreateSecurityProfile member', () => {
    const members = Object.keys(model.shapes.CreateSecurityProfileRequest.members);
    const ours = new Set(['ContractVersion', 'InstanceArn', 'RemovalPolicy', 'AdoptExisting', 'DriftMode',
      // newer than the 2026-08 model, present in @aws-sdk/client-connect 3.1136
      'AllowedAIAgents']);
    for (const key of Object.values(PROP)) {
      if (ours.has(key)) continue;
      expect(members).toContain(key);
    }
  });
});
