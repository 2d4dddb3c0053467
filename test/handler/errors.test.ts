import { ConnectApiError, classifyError, isRetryable, securityProfileError } from '../../lambda/errors';

/** An error shaped like the ones the SDK throws (name, message, $metadata). */
function sdkError(name: string, status: number, message = 'm'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('classifyError', () => {
  test.each([
    ['ResourceNotFoundException', 404, 'not-found', false],
    ['ResourceInUseException', 409, 'in-use', false],
    ['DuplicateResourceException', 409, 'duplicate', false],
    ['ThrottlingException', 429, 'throttled', true],
    ['LimitExceededException', 429, 'quota', false],
    ['InvalidParameterException', 400, 'invalid', false],
    ['InvalidRequestException', 400, 'invalid', false],
    ['AccessDeniedException', 403, 'access-denied', false],
    ['InternalServiceException', 500, 'internal', true],
    ['Unknown', 503, 'internal', true],
    ['Unknown', 429, 'throttled', true],
  ])('%s (HTTP %d) is %s', (name, status, kind, retryable) => {
    expect(classifyError(sdkError(name, status))).toBe(kind);
    expect(isRetryable(classifyError(sdkError(name, status)))).toBe(retryable);
  });

  test('dropped connections are network errors, retried', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(reset)).toBe('network');
    expect(isRetryable('network')).toBe(true);
    // how the SDK reports a connection cut before any response (no HTTP status)
    const wrapped = Object.assign(new Error('AWS SDK error wrapper for TimeoutError: socket hang up'), { $metadata: { attempts: 1 } });
    expect(classifyError(wrapped)).toBe('network');
    expect(new ConnectApiError('DescribeSecurityProfile', wrapped, 3).errorName).toBe('TimeoutError');
  });

  test('a quota error says it is a quota and is not retried', () => {
    const err = new ConnectApiError('CreateSecurityProfile', sdkError('LimitExceededException', 429, 'too many profiles'), 1);
    expect(err.kind).toBe('quota');
    expect(err.message).toMatch(/^CreateSecurityProfile failed: LimitExceededException: too many profiles \(a Connect service quota was reached; this is not retried/);
  });
});

describe('securityProfileError', () => {
  test('reads like: <action> security profile "<name>" in instance <id>: <reason>', () => {
    const err = securityProfileError('update', 'BPO-A-Supervisor', 'i-1',
      new ConnectApiError('UpdateSecurityProfile', sdkError('InvalidParameterException', 400, 'bad group'), 1));
    expect(err.message).toBe('update security profile "BPO-A-Supervisor" in instance i-1: UpdateSecurityProfile failed: InvalidParameterException: bad group');
  });
});
