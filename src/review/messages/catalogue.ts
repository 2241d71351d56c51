/**
 * Plain-language words for the engine's codes: reason codes, check ids, field names, document
 * types, review actions and decisions. The codes stay what the JSON, the policy file and the
 * webhook say; a catalogue only gives them words for people. One catalogue per language, each a
 * plain object (src/review/messages/en.ts); a bank adds a language by writing another object of
 * the same type and registering it in `CATALOGUES` (src/review/messages/index.ts). The compiler
 * then lists every code it has not translated yet.
 *
 * Pure data and pure functions: usable by the web page, the API and workflow code alike.
 */
import type { CheckId } from '../../domain/check-ids.js';
import type { DocumentType, FieldName, FieldSource, MrzFieldStatus } from '../../domain/documents.js';
import type { ReviewAction, ReviewDecision } from '../types.js';

/** Words for a check: its name, and a sentence for each outcome a reviewer must act on. */
export interface CheckMessages {
  /** A short name, e.g. "Expiry date". */
  name: string;
  /** What a failure means, in a reviewer's words. */
  failed: string;
  /** What an inconclusive outcome means, where the check has one. */
  inconclusive?: string;
}

export interface MessageCatalogue {
  /** BCP 47 language tag, e.g. `en`, `de-CH`. */
  language: string;
  /** The built-in policy's reason codes (a bank's own codes fall back to `reasonFallback`). */
  reasons: Readonly<Record<string, string>>;
  checks: Readonly<Record<CheckId, CheckMessages>>;
  fields: Readonly<Record<FieldName, string>>;
  documentTypes: Readonly<Record<DocumentType, string>>;
  /** Where a field's value came from (its evidence's `source`). */
  sources: Readonly<Record<FieldSource, string>>;
  /** How far an MRZ field can be trusted (`mrzFieldStatus`). */
  mrzStatuses: Readonly<Record<MrzFieldStatus, string>>;
  actions: Readonly<Record<ReviewAction, string>>;
  decisions: Readonly<Record<ReviewDecision, string>>;
  /** The keys of a review event's details (`overridesFailedChecks`, `reason`, …) as labels. */
  eventDetails: Readonly<Record<string, string>>;
  /**
   * Sentences with placeholders in braces: `{check}` (a check's name), `{field}`, `{document}`,
   * `{code}` (a code spelt out in words).
   */
  templates: {
    /** A reason `<check_id>_failed` the policy gave no code of its own. */
    checkFailed: string;
    /** A reason `<check_id>_inconclusive` the policy gave no code of its own. */
    checkInconclusive: string;
    /** A reviewer's "correct this field" control, read out by screen readers. */
    correctField: string;
  };
}

/** Fills `{name}` placeholders; an unknown placeholder stays as written (a visible slip, not a crash). */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** `mrz_vs_visual` → "mrz vs visual", `dateOfBirth` → "date of birth": the last resort for an unknown code. */
export function spellOut(code: string): string {
  return code.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function lookup<K extends string>(table: Readonly<Record<K, string>>, code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code as K] : undefined;
}

export function checkName(catalogue: MessageCatalogue, id: string): string {
  return Object.prototype.hasOwnProperty.call(catalogue.checks, id) ? catalogue.checks[id as CheckId].name : sentence(spellOut(id));
}

/**
 * A reason code in words: the catalogue's own, else a fail-closed `<check_id>_failed` /
 * `<check_id>_inconclusive` named by its check, else the code spelt out (a bank's own reason).
 */
export function reasonText(catalogue: MessageCatalogue, code: string): string {
  const known = lookup(catalogue.reasons, code);
  if (known) return known;
  const failed = /^(.+)_failed$/.exec(code);
  if (failed) return fill(catalogue.templates.checkFailed, { check: checkName(catalogue, failed[1]!) });
  const inconclusive = /^(.+)_inconclusive$/.exec(code);
  if (inconclusive) return fill(catalogue.templates.checkInconclusive, { check: checkName(catalogue, inconclusive[1]!) });
  return sentence(spellOut(code));
}

export function fieldName(catalogue: MessageCatalogue, field: string): string {
  return lookup(catalogue.fields, field) ?? sentence(spellOut(field));
}

export function documentTypeName(catalogue: MessageCatalogue, type: string): string {
  return lookup(catalogue.documentTypes, type) ?? sentence(spellOut(type));
}

export function sourceText(catalogue: MessageCatalogue, source: string): string {
  return lookup(catalogue.sources, source) ?? spellOut(source);
}

export function mrzStatusText(catalogue: MessageCatalogue, status: string): string {
  return lookup(catalogue.mrzStatuses, status) ?? spellOut(status);
}

export function actionText(catalogue: MessageCatalogue, action: string): string {
  return lookup(catalogue.actions, action) ?? spellOut(action);
}

export function decisionText(catalogue: MessageCatalogue, decision: string): string {
  return lookup(catalogue.decisions, decision) ?? spellOut(decision);
}

export function eventDetailName(catalogue: MessageCatalogue, key: string): string {
  return lookup(catalogue.eventDetails, key) ?? sentence(spellOut(key));
}

/** What a check's outcome means, or undefined for a pass (the check's own detail says enough). */
export function checkOutcomeText(catalogue: MessageCatalogue, id: string, status: 'pass' | 'fail' | 'inconclusive'): string | undefined {
  if (status === 'pass' || !Object.prototype.hasOwnProperty.call(catalogue.checks, id)) return undefined;
  const messages = catalogue.checks[id as CheckId];
  return status === 'fail' ? messages.failed : messages.inconclusive;
}
