/**
 * The failure converter of every client and worker, loaded by path (`DataConverter.failureConverterPath`):
 * the SDK `require()`s it in the client and worker processes and bundles it into the workflow sandbox.
 * It moves failure messages and stack traces into an encoded payload, so the payload codec encrypts
 * them; histories written before still decode (plain messages are read as they are).
 * CommonJS with no TypeScript so that plain `require()` loads it under node, tsx and vitest alike.
 */
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
