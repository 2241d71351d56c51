/**
 * The codec endpoint of the Temporal UI and CLI (Temporal's "codec server" protocol):
 * `POST /codec/decode` and `POST /codec/encode`, body and answer `{ payloads: [{ metadata: { k: base64 },
 * data: base64 }] }` (Payload protobufs as proto3 JSON). The UI and CLI append `/decode` and `/encode` to
 * the endpoint they are given, so that endpoint is `<api>/codec`.
 *
 * Decoding shows applicant data in clear: it needs an API key with the role auditor, senior_reviewer or
 * admin. Encoding (starting or signalling a workflow from the UI) is a write: admin only. Browsers may
 * call it only from the configured Temporal UI origins (CORS, preflight included); a request with any
 * other Origin is refused. Requests without an Origin (the CLI, curl) are not browsers and need the key alone.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PayloadCodecError } from '../../security/payload-codec.js';
import { actorOf, requireRoles, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import type { Role } from '../../review/types.js';

export const CODEC_DECODE_ROLES: readonly Role[] = ['auditor', 'senior_reviewer', 'admin'];
export const CODEC_ENCODE_ROLES: readonly Role[] = ['admin'];
export const CODEC_ALLOWED_HEADERS = 'content-type,authorization,x-namespace';
/** A Temporal payload is at most 2 MB; base64 adds a third and a history page holds several. */
export const CODEC_BODY_LIMIT = 16 * 1024 * 1024;
const MAX_PAYLOADS = 10_000;

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
export const CodecPayloadSchema = z.object({
  metadata: z.record(z.string().min(1).max(256), Base64).optional(),
  data: Base64.optional(),
});
export const CodecPayloadsSchema = z.object({ payloads: z.array(CodecPayloadSchema).max(MAX_PAYLOADS) });
export type CodecPayloadJson = z.infer<typeof CodecPayloadSchema>;

export interface CodecRoutesOptions {
  codec: PayloadCodec;
  /** Browser origins (scheme://host:port) of the Temporal UI allowed to call the endpoint. */
  corsOrigins: readonly string[];
  authenticate: Authenticate;
}

export const codecRoutes: FastifyPluginAsync<CodecRoutesOptions> = async (app, { codec, corsOrigins, authenticate }) => {
  const origins = new Set(corsOrigins);

  // Runs before authentication (plugin hooks precede route hooks): a refused origin learns nothing more.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    reply.header('vary', 'Origin');
    if (!origins.has(origin)) {
      throw new ApiError({ statusCode: 403, code: 'ORIGIN_NOT_ALLOWED', message: 'this origin may not call the codec endpoint (TEMPORAL_UI_ORIGINS)' });
    }
    reply.header('access-control-allow-origin', origin);
  });

  const preflight = async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply
      .code(204)
      .headers({
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': CODEC_ALLOWED_HEADERS,
        'access-control-max-age': '600',
      })
      .send();

  const route = (operation: 'decode' | 'encode', roles: readonly Role[]): void => {
    app.options(`/codec/${operation}`, preflight);
    app.post(`/codec/${operation}`, { onRequest: requireRoles(authenticate, roles), bodyLimit: CODEC_BODY_LIMIT }, async (request) => {
      const { payloads } = CodecPayloadsSchema.parse(request.body);
      let result: Payload[];
      try {
        result = await (operation === 'decode' ? codec.decode(payloads.map(fromJson)) : codec.encode(payloads.map(fromJson)));
      } catch (err) {
        if (!(err instanceof PayloadCodecError)) throw err;
        throw new ApiError({ statusCode: 422, code: `PAYLOAD_${err.code}`, message: err.message });
      }
      // Who looked at what: the key and the count, never the content.
      request.log.info({ codec: operation, keyId: actorOf(request).keyId, payloads: payloads.length }, 'codec request');
      return { payloads: result.map(toJson) };
    });
  };
  route('decode', CODEC_DECODE_ROLES);
  route('encode', CODEC_ENCODE_ROLES);
};

function fromJson(payload: CodecPayloadJson): Payload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { metadata, ...(payload.data !== undefined ? { data: Buffer.from(payload.data, 'base64') } : {}) };
}

function toJson(payload: Payload): CodecPayloadJson {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return { metadata, ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}) };
}
