import { request } from 'http';
import { CreateSecurityProfileCommand, DescribeSecurityProfileCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-connect';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';

// rest-json as the model binds it, seen from the wire (raw HTTP) and from the real SDK.

let emulator: ConnectEmulator;
beforeAll(async () => { emulator = await startConnectEmulator(); });
afterAll(async () => { await emulator.stop(); });

function raw(method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.endpoint}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('errors carry x-amzn-errortype, __type and Message at the modeled status', async () => {
  const { instanceId } = emulator.createInstance();
  const res = await raw('GET', `/security-profiles/${instanceId}/does-not-exist`);
  expect(res.status).toBe(404);
  expect(res.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
  expect(res.json.__type).toBe('ResourceNotFoundException');
  expect(res.json.Message).toMatch(/does-not-exist/);
});

test('an unbound path is 404 UnknownOperationException', async () => {
  const res = await raw('GET', '/no-such-thing');
  expect(res.status).toBe(404);
  expect(res.json.__type).toBe('UnknownOperationException');
});

test('malformed JSON is InvalidRequestException; unknown body members are ignored', async () => {
  const { instanceId } = emulator.createInstance();
  const bad = await raw('PUT', `/security-profiles/${instanceId}`, '{not json');
  expect(bad.status).toBe(400);
  expect(bad.json.__type).toBe('InvalidRequestException');
  const ok = await raw('PUT', `/security-profiles/${instanceId}`, JSON.stringify({ SecurityProfileName: 'raw', SomeFutureMember: [1, 2] }));
  expect(ok.status).toBe(200);
  expect(ok.json.SecurityProfileId).toMatch(/^[0-9a-f-]{36}$/);
});

test('a wrong JSON type is InvalidRequestException', async () => {
  const { instanceId } = emulator.createInstance();
  const res = await raw('PUT', `/security-profiles/${instanceId}`, JSON.stringify({ SecurityProfileName: 'p', Permissions: 'BasicAgentAccess' }));
  expect(res.status).toBe(400);
  expect(res.json.__type).toBe('InvalidRequestException');
  expect(res.json.Message).toMatch(/Permissions.*array/);
});

test('timestamps are epoch seconds on the wire and Dates in the SDK', async () => {
  const { instanceId, defaultSecurityProfileIds } = emulator.createInstance();
  const res = await raw('GET', `/security-profiles/${instanceId}/${defaultSecurityProfileIds.Agent}`);
  expect(typeof res.json.SecurityProfile.LastModifiedTime).toBe('number');
  expect(Math.abs(res.json.SecurityProfile.LastModifiedTime - Date.now() / 1000)).toBeLessThan(3600);
  const client = connectClientFor(emulator);
  const out = await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: defaultSecurityProfileIds.Agent }));
  expect(out.SecurityProfile?.LastModifiedTime).toBeInstanceOf(Date);
  client.destroy();
});

test('InstanceId and SecurityProfileId accept full ARNs (percent-encoded labels)', async () => {
  const { instanceArn } = emulator.createInstance();
  const client = connectClientFor(emulator);
  const created = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceArn, SecurityProfileName: 'by-arn' }));
  const out = await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceArn, SecurityProfileId: created.SecurityProfileArn }));
  expect(out.SecurityProfile?.Id).toBe(created.SecurityProfileId);
  expect(emulator.requestLog.at(-1)?.input).toEqual({ InstanceId: instanceArn, SecurityProfileId: created.SecurityProfileArn });
  client.destroy();
});

test('tag operations: lowercase members, repeated tagKeys query parameters', async () => {
  const { instanceId } = emulator.createInstance();
  const client = connectClientFor(emulator);
  const { SecurityProfileArn } = await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'tags', Tags: { 'a': '1', 'b c': '2', 'd': '3' } }));
  await client.send(new UntagResourceCommand({ resourceArn: SecurityProfileArn, tagKeys: ['a', 'b c'] }));
  expect(emulator.requestLog.at(-1)?.input).toMatchObject({ tagKeys: ['a', 'b c'] });
  await client.send(new TagResourceCommand({ resourceArn: SecurityProfileArn, tags: { e: '' } }));
  const out = await client.send(new ListTagsForResourceCommand({ resourceArn: SecurityProfileArn }));
  expect(out.tags).toEqual({ d: '3', e: '' });
  const raw51 = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  await expect(client.send(new TagResourceCommand({ resourceArn: SecurityProfileArn, tags: raw51 }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/52 tags.*at most 50/) });
  await expect(client.send(new ListTagsForResourceCommand({ resourceArn: `${SecurityProfileArn}x` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  client.destroy();
});

test('the request log records operation, input, status, error type and time; callCount counts by operation', async () => {
  const { instanceId } = emulator.createInstance();
  emulator.clearRequestLog();
  const client = connectClientFor(emulator, { maxAttempts: 1 });
  await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'logged' }));
  await client.send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'logged' })).catch(() => undefined);
  expect(emulator.callCount('CreateSecurityProfile')).toBe(2);
  expect(emulator.callCount()).toBe(2);
  expect(emulator.requestLog[1]).toMatchObject({ operation: 'CreateSecurityProfile', status: 409, errorType: 'DuplicateResourceException', input: { SecurityProfileName: 'logged' } });
  expect(emulator.requestLog[1].time).toBeGreaterThan(Date.now() - 60_000);
  client.destroy();
});
