/**
 * Which review actions can succeed for the signed-in key, from the task the page already has and
 * `GET /v1/me`: the same rules the workflow applies (src/review/rules.ts), so the page offers no
 * button that can only fail, and says why one is missing. The server still decides; a stale page
 * can still be refused, and the case view then reloads.
 */
import type { Me, ReviewTask } from './types.js';

export type ActionCheck = { allowed: true } | { allowed: false; why: string };

export interface AllowedActions {
  claim: ActionCheck;
  release: ActionCheck;
  /** Approve, reject, request documents (and field corrections with them). */
  decide: ActionCheck;
}

const yes: ActionCheck = { allowed: true };
const no = (why: string): ActionCheck => ({ allowed: false, why });

export function allowedActions(task: ReviewTask, me: Me): AllowedActions {
  const isReviewer = me.roles.includes('reviewer') || me.roles.includes('senior_reviewer');
  const isSenior = me.roles.includes('senior_reviewer');
  const isMine = task.status === 'claimed' && task.assigneeKeyId === me.keyId;
  const claimedBy = task.assignee ?? 'another reviewer';

  if (task.status === 'completed') {
    const closed = no('The review is decided.');
    return { claim: closed, release: closed, decide: closed };
  }
  if (task.status === 'waiting_documents') {
    const waiting = no('The case is waiting for documents.');
    return { claim: waiting, release: waiting, decide: waiting };
  }
  if (!isReviewer) {
    const notReviewer = no('Only reviewers and senior reviewers work review tasks.');
    return {
      claim: notReviewer,
      release: isMine || me.roles.includes('admin') ? (task.status === 'claimed' ? yes : no('The task is not claimed.')) : notReviewer,
      decide: notReviewer,
    };
  }

  // Four-eyes: the second approval comes from someone else, and one of the two is senior.
  const firstApproval = task.fourEyes ? task.approvals[0] : undefined;
  let claim: ActionCheck = yes;
  if (task.queue === 'senior' && !isSenior) claim = no('The task is in the senior queue: only a senior reviewer may claim it.');
  else if (firstApproval && (firstApproval.keyId === me.keyId || firstApproval.by === me.name)) {
    claim = no('You gave the first approval: a different reviewer must give the second (four-eyes).');
  } else if (firstApproval && !firstApproval.senior && !isSenior) {
    claim = no('Four-eyes: the second approval must come from a senior reviewer.');
  }
  else if (isMine) claim = no('You have claimed this task.');
  else if (task.status === 'claimed') claim = no(`The task is claimed by ${claimedBy}.`);

  let release: ActionCheck = yes;
  if (task.status !== 'claimed') release = no('The task is not claimed.');
  else if (!isMine && !isSenior) release = no(`Only ${claimedBy} or a senior reviewer may release the task.`);

  let decide: ActionCheck = yes;
  if (!isMine) {
    decide =
      task.status === 'claimed'
        ? no(`Only the assignee decides: the task is claimed by ${claimedBy}.`)
        : claim.allowed
          ? no('Claim the task to decide.')
          : no(claim.why);
  }
  return { claim, release, decide };
}
