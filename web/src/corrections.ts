/** A reviewer's edits to extracted fields: drafts keyed per document and field, sent as corrections. */
import { FIELD_NAMES } from '../../src/domain/documents.js';
import type { DocumentReport, FieldCorrectionDraft, FieldName } from './types.js';

export type Drafts = Readonly<Record<string, string>>;

export function draftKey(documentId: string, field: FieldName): string {
  return `${documentId}/${field}`;
}

/** The document's fields in the engine's order: those with a value, and those with evidence only. */
export function documentFields(doc: DocumentReport): FieldName[] {
  return FIELD_NAMES.filter((field) => doc.fields[field] !== undefined || doc.evidence[field] !== undefined);
}

/** Every input whose (trimmed) text differs from the extracted value; a cleared input is no correction (the API needs a value). */
export function corrections(documents: readonly DocumentReport[], drafts: Drafts): FieldCorrectionDraft[] {
  const result: FieldCorrectionDraft[] = [];
  for (const doc of documents) {
    for (const field of documentFields(doc)) {
      const draft = drafts[draftKey(doc.documentId, field)];
      if (draft === undefined) continue;
      const value = draft.trim();
      if (value !== '' && value !== (doc.fields[field] ?? '')) result.push({ documentId: doc.documentId, field, value });
    }
  }
  return result;
}
