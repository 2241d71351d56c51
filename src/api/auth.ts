/**
 * API keys and roles. Every route but health, the OpenAPI document and the web page's static files
 * needs `Authorization: Bearer <key>` (or `X-API-Key: <key>`); the key's roles decide what it may do.
 * 401 without a valid key, 403 without the role: JSON errors like every other. A key belongs to an
 * organisation and names a person: the actor carries both (ownership, separation of duties).
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { DEFAULT_ORG, type Actor, type ApiKeyRecord, type Role } from '../review/types.js';
import { ApiError } from './http-errors.js';

export type Authenticate = (secret: string) => Promise<ApiKeyRecord | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const ANY_ROLE: readonly Role[] = ['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin'];

/** A preHandler admitting keys that hold any of the roles. */
export function requireRoles(authenticate: Authenticate, roles: readonly Role[]): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const secret = keyFrom(request);
    if (!secret) {
      throw new ApiError({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'an API key is required (Authorization: Bearer <key>)' });
    }
    const record = await authenticate(secret);
    if (!record) throw new ApiError({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'the API key is not valid' });
    request.actor = { keyId: record.keyId, name: record.name, roles: record.roles, org: record.org, person: record.person };
    if (!record.roles.some((r) => roles.includes(r))) {
      throw new ApiError({ statusCode: 403, code: 'FORBIDDEN', message: `this needs one of the roles: ${roles.join(', ')}` });
    }
  };
}

/** Roles that see every owner's batches and cases (reviewers see cases through their review queues). */
const SEES_ALL: readonly Role[] = ['admin', 'auditor'];
const REVIEWING: readonly Role[] = ['reviewer', 'senior_reviewer'];

/**
 * Whose batches and cases the actor reads: undefined for admins, auditors and reviewers (reviewers'
 * cases are narrowed by their queues elsewhere), their own organisation's for submitters.
 */
export function ownerScopeOf(actor: Actor): { org: string } | undefined {
  if (actor.roles.some((r) => SEES_ALL.includes(r) || REVIEWING.includes(r))) return undefined;
  return { org: actor.org ?? DEFAULT_ORG };
}

export function seesAll(actor: Actor): boolean {
  return actor.roles.some((r) => SEES_ALL.includes(r));
}

export function isReviewing(actor: Actor): boolean {
  return actor.roles.some((r) => REVIEWING.includes(r));
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route registered without requireRoles');
  return request.actor;
}

function keyFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match?.[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
}
