import { runChecks, type CheckDocument } from '../src/domain/checks.js';
import type { DocumentStore } from '../src/domain/ports.js';
import type { Applicant, Check } from '../src/domain/report.js';
import { parseSanctionsCsv, type SanctionsEntry } from '../src/domain/sanctions.js';
import { toFailure } from './to-failure.js';

export interface CaseChecksInput {
  applicant?: Applicant;
  documents: CheckDocument[];
  asOf: string;
  /** Store id of a targets.simple.csv list. */
  sanctionsRef?: string;
}

export const checksActivities = (deps: { store: DocumentStore }) => {
  // A list is parsed once per worker process, not once per case (real lists are large).
  const lists = new Map<string, Promise<SanctionsEntry[]>>();
  const loadList = (ref: string): Promise<SanctionsEntry[]> => {
    let list = lists.get(ref);
    if (!list) {
      list = deps.store.getDocument(ref).then((bytes) => parseSanctionsCsv(Buffer.from(bytes).toString('utf8')));
      list.catch(() => lists.delete(ref));
      if (lists.size >= 4) lists.delete(lists.keys().next().value!);
      lists.set(ref, list);
    }
    return list;
  };

  return {
    /** Every validation of the case: expiry, age, MRZ, names, addresses, recency, IBAN, sanctions. */
    async runCaseChecks(input: CaseChecksInput): Promise<Check[]> {
      try {
        const sanctions = input.sanctionsRef ? await loadList(input.sanctionsRef) : undefined;
        return runChecks({ applicant: input.applicant, documents: input.documents, asOf: input.asOf, sanctions });
      } catch (err) {
        throw toFailure(err);
      }
    },
  };
};
