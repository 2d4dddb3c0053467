/** Error codes the emulator answers with; statuses come from the model's exception shapes. */
export type ErrorType =
  | 'InvalidRequestException' | 'InvalidParameterException' | 'AccessDeniedException' | 'ResourceNotFoundException'
  | 'DuplicateResourceException' | 'ResourceInUseException' | 'LimitExceededException' | 'ThrottlingException'
  | 'InternalServiceException' | 'ServiceQuotaExceededException' | 'ResourceConflictException' | 'ConditionalOperationFailedException';

/**
 * A modeled Connect error. The server writes it as `x-amzn-errortype: <type>` plus a JSON body with
 * `__type`, `Message` and any extra members (`ResourceType`, `ResourceId`), at the model's status code.
 */
export class ConnectError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** InvalidParameterException (400): a parameter breaks a model constraint or a documented rule. */
export function invalidParameter(message: string): ConnectError {
  return new ConnectError('InvalidParameterException', message);
}

/** InvalidRequestException (400): the request is malformed or not allowed in the current state. */
export function invalidRequest(message: string): ConnectError {
  return new ConnectError('InvalidRequestException', message);
}

/** ResourceNotFoundException (404). */
export function notFound(message: string): ConnectError {
  return new ConnectError('ResourceNotFoundException', message);
}
