/**
 * Codes in a reviewer's words, from the message catalogue (src/review/messages): reason codes,
 * check ids, field names, document types and review actions. The code stays beside the words where
 * the page shows both (it is what the policy file, the webhook and the API say); a code the
 * catalogue does not know — a bank's own reason, or a check's fail-closed `<check_id>_failed` /
 * `<check_id>_inconclusive` — is spelt out from its parts.
 *
 * The language is the page's own (`<html lang>`): a bank that translates the page registers a
 * catalogue for that language; until then, and wherever no catalogue matches, it is English.
 */
import {
  actionText,
  checkName,
  checkOutcomeText,
  decisionText,
  documentTypeName,
  eventDetailName,
  fieldName,
  fill,
  messagesFor,
  mrzStatusText,
  reasonText,
  sourceText,
  type MessageCatalogue,
} from '../../src/review/messages/index.js';

function pageLanguage(): string | undefined {
  return typeof document === 'undefined' ? undefined : document.documentElement.lang || undefined;
}

let catalogue: MessageCatalogue | undefined;

/** The catalogue for the page's language, chosen once. */
export function messages(): MessageCatalogue {
  catalogue ??= messagesFor(pageLanguage());
  return catalogue;
}

export function reasonLabel(code: string): string {
  return reasonText(messages(), code);
}

/** A check id as a name: `mrz_checksum` → "Machine-readable zone check digits". */
export function checkLabel(id: string): string {
  return checkName(messages(), id);
}

/** What a failed or inconclusive check means for the reviewer; undefined for a pass. */
export function checkMeaning(id: string, status: 'pass' | 'fail' | 'inconclusive'): string | undefined {
  return checkOutcomeText(messages(), id, status);
}

/** A field name in words: `expiryDate` → "Expiry date". */
export function fieldText(field: string): string {
  return fieldName(messages(), field);
}

/** Where a field's value came from: `text` → "printed text". */
export function sourceLabel(source: string): string {
  return sourceText(messages(), source);
}

/** An MRZ field's trust: `corroborated` → "confirmed by a second reading". */
export function mrzStatusLabel(status: string): string {
  return mrzStatusText(messages(), status);
}

export function documentTypeLabel(type: string): string {
  return documentTypeName(messages(), type);
}

/** A review event's action as a phrase after the actor's name: "rosa claimed the task". */
export function actionLabel(action: string): string {
  return actionText(messages(), action);
}

/** A review event's detail key as a label: `overridesFailedChecks` → "Approved over the failed checks". */
export function eventDetailLabel(key: string): string {
  return eventDetailName(messages(), key);
}

export function decisionLabel(decision: string): string {
  return decisionText(messages(), decision);
}

/** The label a screen reader reads for a field's "correct" control: "Correct the expiry date of passport.pdf". */
export function correctFieldLabel(field: string, document: string): string {
  const words = fieldText(field);
  // Mid-sentence: "expiry date", but an acronym stays as it is ("IBAN").
  const inSentence = /^\p{Lu}{2,}\b/u.test(words) ? words : words.charAt(0).toLowerCase() + words.slice(1);
  return fill(messages().templates.correctField, { field: inSentence, document });
}
