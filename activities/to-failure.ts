import { ApplicationFailure } from '@temporalio/common';
import { KycError } from '../src/domain/errors.js';

/** Domain errors become typed failures (type = code, retry from the hint); others pass through to the retry policy. */
export function toFailure(err: unknown): unknown {
  if (!(err instanceof KycError)) return err;
  return ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: !err.retryable, cause: err });
}
