/**
 * Case validations: every check a reviewer would make, each pass / fail / inconclusive with a
 * short detail. Details name values only generically (ages, day counts, scores, document kinds);
 * the one exception is the sanctions entry, which a reviewer must be able to look up.
 */
import { compareAddresses, DEFAULT_ADDRESS_THRESHOLD } from './address.js';
import { ageOn, daysBetween, isIsoDate } from './dates.js';
import { findAddressInText, findNameInText, findNamePartsInText } from './addressee-verification.js';
import type { DocumentType, FieldEvidence, FieldName, Fields, MrzSummary } from './documents.js';
import { IDENTITY_TYPES, MRZ_PROTECTED_FIELDS, PROOF_OF_ADDRESS_TYPES } from './documents.js';
import { ibanVerdict, type IbanEvidence, type IbanStatus } from './iban.js';
import { compareNames, DEFAULT_NAME_THRESHOLD, jaroWinkler, nameTokens } from './names.js';
import type { Applicant, Check, CheckComparison, CheckStatus } from './report.js';
import { DEFAULT_SANCTIONS_THRESHOLD, screenName, type SanctionsEntry } from './sanctions.js';

import { CHECK_IDS, type CheckId } from './check-ids.js';

export { CHECK_IDS, type CheckId };

/** The MRZ summary, optionally with the visual-zone comparison that field extraction adds. */
export type CheckMrz = MrzSummary & { visualCompared?: FieldName[]; visualMismatches?: FieldName[] };

export interface CheckDocument {
  file: string;
  type: DocumentType;
  fields: Fields;
  mrz?: CheckMrz;
  /** How the IBAN was read (its readings' verification); other fields' evidence is not used here. */
  evidence?: { iban?: IbanEvidence };
  /** Set when the document could not be read. */
  error?: string;
  /**
   * A proof of address's text, read from the store where the checks run (never carried in a
   * payload): the declared name and address are searched for in it (see addressee-verification.ts).
   */
  pages?: ReadonlyArray<{ page: number; text: string }>;
}

/** A check with the span of the document it rests on (page and printed text: PII, never logged). */
export type EvidencedCheck = Check & { evidence?: FieldEvidence };

export interface CheckOptions {
  /** Oldest acceptable proof of address, in days before `asOf`; default 90. */
  maxProofAgeDays?: number;
  /** Default 18. */
  adultAge?: number;
  nameThreshold?: number;
  addressThreshold?: number;
  sanctionsThreshold?: number;
}

export interface CheckInput {
  applicant: Applicant | undefined;
  documents: CheckDocument[];
  /** `YYYY-MM-DD`: the date every date check is made against. */
  asOf: string;
  sanctions?: readonly SanctionsEntry[];
  options?: CheckOptions;
}

interface Settings {
  maxProofAgeDays: number;
  adultAge: number;
  nameThreshold: number;
  addressThreshold: number;
  sanctionsThreshold: number;
}

interface Context {
  applicant: Applicant | undefined;
  asOf: string;
  sanctions?: readonly SanctionsEntry[];
  readable: CheckDocument[];
  identities: CheckDocument[];
  proofs: CheckDocument[];
  settings: Settings;
}

const KIND: Readonly<Record<DocumentType, string>> = {
  passport: 'passport',
  id_card: 'identity card',
  driving_licence: 'driving licence',
  utility_bill: 'utility bill',
  bank_statement: 'bank statement',
  payslip: 'payslip',
  company_registration: 'company registration',
  visa: 'visa',
  unknown: 'document',
};

function check(id: CheckId, status: CheckStatus, detail: string, file?: string): Check {
  return file === undefined ? { id, status, detail } : { id, status, detail, file };
}

function personName(fields: Fields): string | undefined {
  if (fields.fullName) return fields.fullName;
  const joined = [fields.givenNames, fields.surname].filter(Boolean).join(' ');
  return joined.length > 0 ? joined : undefined;
}

/** One word: the given names were not read (OCR), so the name cannot be compared as a whole. */
function isSurnameOnly(name: string): boolean {
  return nameTokens(name).length === 1;
}

/**
 * Only the surname was read on the identity document: a surname found in the other name leaves the
 * check inconclusive (nothing contradicts, not enough agrees); a surname that is not there fails.
 */
function partialNameCheck(id: CheckId, surname: string, other: string, kind: string, file: string): Check {
  const [token] = nameTokens(surname);
  const found = nameTokens(other).some((t) => t === token || jaroWinkler(t, token ?? '') >= 0.93);
  return found
    ? check(id, 'inconclusive', `only the surname was read on the ${kind}; it agrees`, file)
    : check(id, 'fail', `the surname on the ${kind} is not in the other name`, file);
}

function score(value: number): string {
  return value.toFixed(2);
}

// ---------------------------------------------------------------------------------------------

function readabilityChecks(documents: CheckDocument[]): Check[] {
  const failed = documents.flatMap((doc) => {
    if (doc.error) return [check('document_readable', 'fail', 'the document could not be read', doc.file)];
    if (doc.type === 'unknown') return [check('document_readable', 'fail', 'the document type could not be determined', doc.file)];
    return [];
  });
  if (failed.length > 0) return failed;
  return [check('document_readable', 'pass', `all ${documents.length} documents were read and classified`)];
}

function presenceChecks(ctx: Context): Check[] {
  const identity = ctx.identities[0];
  const proof = ctx.proofs[0];
  return [
    identity
      ? check('identity_document_present', 'pass', `${KIND[identity.type]} provided`, identity.file)
      : check('identity_document_present', 'fail', 'no readable passport, identity card or driving licence'),
    proof
      ? check('proof_of_address_present', 'pass', `${KIND[proof.type]} provided`, proof.file)
      : check('proof_of_address_present', 'fail', 'no readable utility bill, bank statement or payslip'),
  ];
}

/**
 * An identity document's dates come from its MRZ when it has one. A date whose own check digit
 * disagrees, or agrees only after a guess nothing confirmed, may be a misread (2035 read as 1955):
 * it neither rejects nor approves; a person looks (the MRZ verdict says why).
 */
function isDoubtfulMrzDate(doc: CheckDocument, field: 'expiryDate' | 'dateOfBirth'): boolean {
  const status = doc.mrz?.fieldStatus?.[field];
  return status === 'failed' || status === 'unverified';
}

function expiryChecks(ctx: Context): Check[] {
  return ctx.identities.map((doc) => {
    const expiry = doc.fields.expiryDate;
    if (!expiry || !isIsoDate(expiry)) return check('document_not_expired', 'inconclusive', `expiry date of the ${KIND[doc.type]} not found`, doc.file);
    if (isDoubtfulMrzDate(doc, 'expiryDate')) {
      return check('document_not_expired', 'inconclusive', `expiry date of the ${KIND[doc.type]} not verified: its MRZ check digit disagrees or was guessed`, doc.file);
    }
    const daysLeft = daysBetween(ctx.asOf, expiry);
    return daysLeft >= 0
      ? check('document_not_expired', 'pass', `${KIND[doc.type]} valid for ${daysLeft} more days`, doc.file)
      : check('document_not_expired', 'fail', `${KIND[doc.type]} expired ${-daysLeft} days before the as-of date`, doc.file);
  });
}

/** The birth date from an identity document, else the declared one. */
function birthDate(ctx: Context): { value: string; source: string; file?: string } | undefined {
  const doc = ctx.identities.find((d) => d.fields.dateOfBirth && isIsoDate(d.fields.dateOfBirth) && !isDoubtfulMrzDate(d, 'dateOfBirth'));
  if (doc?.fields.dateOfBirth) return { value: doc.fields.dateOfBirth, source: KIND[doc.type], file: doc.file };
  const declared = ctx.applicant?.dateOfBirth;
  return declared && isIsoDate(declared) ? { value: declared, source: 'declaration' } : undefined;
}

function adultCheck(ctx: Context): Check {
  const birth = birthDate(ctx);
  const age = birth ? ageOn(birth.value, ctx.asOf) : undefined;
  if (!birth || age === undefined) return check('applicant_adult', 'inconclusive', 'no date of birth found');
  const min = ctx.settings.adultAge;
  const result = age >= min
    ? check('applicant_adult', 'pass', `applicant is ${min} or older on the as-of date (birth date from the ${birth.source})`, birth.file)
    : check('applicant_adult', 'fail', `applicant is ${age}, under ${min}, on the as-of date (birth date from the ${birth.source})`, birth.file);
  const declared = ctx.applicant?.dateOfBirth;
  // The declared birth date beside the document's, when the age rests on a document.
  const comparison: CheckComparison = declared
    ? { field: 'dateOfBirth', reference: declared, referenceSource: 'declaration', ...(birth.file ? { found: birth.value } : {}) }
    : { field: 'dateOfBirth', reference: birth.value, referenceSource: birth.source, ...(birth.file ? { referenceFile: birth.file } : {}) };
  return { ...result, comparison };
}

/**
 * Per MRZ field status (contract 1): `fail` when a clearly read check digit disagrees with its field;
 * else `inconclusive` when a field agrees only after a look-alike swap or an inferred digit that
 * nothing independent confirmed; else `pass`. The detail names the fields and how each was settled.
 */
function mrzChecksumChecks(ctx: Context): Check[] {
  return ctx.readable.flatMap((doc) => {
    const mrz = doc.mrz;
    if (!mrz) return [];
    const status = mrz.fieldStatus ?? {};
    const withStatus = (wanted: string): string[] => MRZ_PROTECTED_FIELDS.filter((f) => status[f] === wanted);
    const failed = [...new Set([...mrz.failedChecks, ...withStatus('failed')])];
    if (!mrz.valid || failed.length > 0) {
      return [check('mrz_checksum', 'fail', `${mrz.format} MRZ check digits disagree: ${failed.join(', ')}`, doc.file)];
    }
    const unverified = withStatus('unverified');
    if (unverified.length > 0 || mrz.unverified) {
      const which = unverified.length > 0 ? unverified.join(', ') : 'one check digit';
      return [check('mrz_checksum', 'inconclusive', `${mrz.format} MRZ: ${which} agree only after a look-alike guess or an inferred digit, not corroborated`, doc.file)];
    }
    const settled = (['repaired', 'corroborated'] as const).flatMap((s) => (withStatus(s).length > 0 ? [`${s}: ${withStatus(s).join(', ')}`] : []));
    const how = settled.length > 0 ? ` (${settled.join('; ')})` : mrz.repaired ? ' after repairing OCR errors' : '';
    return [check('mrz_checksum', 'pass', `${mrz.format} MRZ check digits agree${how}`, doc.file)];
  });
}

/** Only where both the MRZ and the printed zone gave a value for some field. */
function mrzVisualChecks(ctx: Context): Check[] {
  return ctx.readable.flatMap((doc) => {
    const compared = doc.mrz?.visualCompared ?? [];
    if (compared.length === 0) return [];
    const mismatches = doc.mrz?.visualMismatches ?? [];
    return [
      mismatches.length === 0
        ? check('mrz_vs_visual', 'pass', `MRZ agrees with the printed ${compared.join(', ')}`, doc.file)
        : check('mrz_vs_visual', 'fail', `MRZ differs from the printed ${mismatches.join(', ')}`, doc.file),
    ];
  });
}

/** `a` is the name found on `file`, `b` the reference (`reference` says where it comes from). */
function nameCheck(
  id: CheckId,
  a: string,
  b: string,
  what: string,
  threshold: number,
  file: string,
  reference: Pick<CheckComparison, 'referenceSource' | 'referenceFile'>,
): Check {
  const result = compareNames(a, b, { threshold });
  const comparison: CheckComparison = { field: 'fullName', reference: b, ...reference, found: a, score: result.score };
  const verdict = result.match
    ? check(id, 'pass', `${what} match (score ${score(result.score)})`, file)
    : check(id, 'fail', `${what} differ (score ${score(result.score)})`, file);
  return { ...verdict, comparison };
}

const DECLARATION = { referenceSource: 'declaration' } as const;

function declaredNameChecks(ctx: Context): Check[] {
  const declared = ctx.applicant?.fullName;
  if (!declared) return [check('name_matches_declared', 'inconclusive', 'no declared name')];
  if (ctx.identities.length === 0) return [check('name_matches_declared', 'inconclusive', 'no identity document to compare with')];
  return ctx.identities.map((doc) => {
    const name = personName(doc.fields);
    const partial = name && isSurnameOnly(name) ? partialNameCheck('name_matches_declared', name, declared, `${KIND[doc.type]}`, doc.file) : undefined;
    if (name && !partial) return nameCheck('name_matches_declared', name, declared, `declared name and ${KIND[doc.type]} name`, ctx.settings.nameThreshold, doc.file, DECLARATION);
    const comparison: CheckComparison = { field: 'fullName', reference: declared, ...DECLARATION, ...(name ? { found: name } : {}) };
    if (partial?.status === 'fail') return { ...partial, comparison };
    // The whole name was not read: verify the declaration instead, by finding it printed on the document.
    const pages = doc.pages ?? [];
    const found = findNameInText(pages, declared, { threshold: ctx.settings.nameThreshold }) ?? findNamePartsInText(pages, declared);
    if (found) {
      const detail = `the declared name is printed on the ${KIND[doc.type]} (score ${score(found.score)})`;
      return withEvidence(check('name_matches_declared', 'pass', detail, doc.file), found.evidence, { ...comparison, ...spanFound(found) });
    }
    return { ...(partial ?? check('name_matches_declared', 'inconclusive', `name on the ${KIND[doc.type]} not found`, doc.file)), comparison };
  });
}

/**
 * Whose identity is this? Known when an identity document's whole name was read, or when the
 * declared name was found printed on it (`declared`: the name_matches_declared results). Otherwise
 * inconclusive: an approval would rest on a document whose holder nobody read (only a surname, or
 * nothing), and sanctions were screened on a name the document does not confirm. No identity
 * document: nothing to say (identity_document_present fails).
 */
function identityNameChecks(ctx: Context, declared: readonly Check[]): Check[] {
  const first = ctx.identities[0];
  if (!first) return [];
  const read = ctx.identities.find((doc) => {
    const name = personName(doc.fields);
    return name !== undefined && !isSurnameOnly(name);
  });
  if (read) return [check('identity_name_read', 'pass', `the holder's name was read on the ${KIND[read.type]}`, read.file)];
  const printed = declared.find((c) => c.status === 'pass');
  if (printed) return [check('identity_name_read', 'pass', 'the declared name is printed on the identity document', printed.file)];
  return [check('identity_name_read', 'inconclusive', "the holder's whole name was not read on any identity document", first.file)];
}

/** The identity name (document first), for comparing proofs of address with. */
function referenceName(ctx: Context): { name: string; source: string } | undefined {
  for (const doc of ctx.identities) {
    const name = personName(doc.fields);
    if (name && !isSurnameOnly(name)) return { name, source: `${KIND[doc.type]} name` };
  }
  return ctx.applicant?.fullName ? { name: ctx.applicant.fullName, source: 'declared name' } : undefined;
}

/** Names a proof of address may be addressed to: the identity document's (whole) names first, then the declared one. */
function addresseeReferences(ctx: Context): Array<{ name: string; source: string; file?: string; kind: string }> {
  const out: Array<{ name: string; source: string; file?: string; kind: string }> = [];
  for (const doc of ctx.identities) {
    const name = personName(doc.fields);
    if (name && !isSurnameOnly(name)) out.push({ name, source: `${KIND[doc.type]} name`, file: doc.file, kind: KIND[doc.type] });
  }
  if (ctx.applicant?.fullName) out.push({ name: ctx.applicant.fullName, source: 'declared name', kind: 'declaration' });
  return out;
}

function withEvidence(result: Check, evidence: FieldEvidence, comparison?: CheckComparison): EvidencedCheck {
  return comparison ? { ...result, evidence, comparison } : { ...result, evidence };
}

/** A reference found in the document's text: the printed span is the value found. */
function spanFound(found: { score: number; evidence: FieldEvidence }): Pick<CheckComparison, 'found' | 'score'> {
  return { ...(found.evidence.text ? { found: found.evidence.text } : {}), score: found.score };
}

function referenceOf(ref: { kind: string; file?: string }): Pick<CheckComparison, 'referenceSource' | 'referenceFile'> {
  return ref.file ? { referenceSource: ref.kind, referenceFile: ref.file } : { referenceSource: ref.kind };
}

/**
 * Verify rather than guess: with the document's text at hand, is one of the applicant's names printed
 * on it outside the issuer's lines? Found: pass, with the span as evidence. Not found (or no text):
 * the extracted addressee is compared as before, so a name the search missed is judged on what was read.
 */
function proofNameChecks(ctx: Context): Check[] {
  const references = addresseeReferences(ctx);
  const reference = referenceName(ctx);
  return ctx.proofs.map((doc) => {
    for (const ref of doc.pages ? references : []) {
      const found = findNameInText(doc.pages ?? [], ref.name, { threshold: ctx.settings.nameThreshold });
      if (!found) continue;
      const detail = `${KIND[doc.type]} is addressed to the ${ref.source} (score ${score(found.score)})`;
      const comparison: CheckComparison = { field: 'fullName', reference: ref.name, ...referenceOf(ref), ...spanFound(found) };
      return withEvidence(check('name_matches_proof_of_address', 'pass', detail, doc.file), found.evidence, comparison);
    }
    const name = personName(doc.fields);
    if (!name) return check('name_matches_proof_of_address', 'inconclusive', `addressee on the ${KIND[doc.type]} not found`, doc.file);
    if (!reference) return check('name_matches_proof_of_address', 'inconclusive', 'no identity or declared name to compare with', doc.file);
    const ref = references.find((r) => r.name === reference.name) ?? { kind: 'declaration' };
    return nameCheck('name_matches_proof_of_address', name, reference.name, `${KIND[doc.type]} addressee and ${reference.source}`, ctx.settings.nameThreshold, doc.file, referenceOf(ref));
  });
}

/** As proofNameChecks, for the declared address: searched for in the text first, the extracted one compared otherwise. */
function addressChecks(ctx: Context): Check[] {
  const declared = ctx.applicant?.address;
  return ctx.proofs.map((doc) => {
    if (!declared) return check('address_matches_declared', 'inconclusive', 'no declared address', doc.file);
    const found = doc.pages ? findAddressInText(doc.pages, declared, { threshold: ctx.settings.addressThreshold }) : undefined;
    if (found) {
      const detail = `${KIND[doc.type]} is addressed to the declared address (score ${score(found.score)})`;
      const comparison: CheckComparison = { field: 'address', reference: declared, ...DECLARATION, ...spanFound(found) };
      return withEvidence(check('address_matches_declared', 'pass', detail, doc.file), found.evidence, comparison);
    }
    const address = doc.fields.address;
    if (!address) {
      const comparison: CheckComparison = { field: 'address', reference: declared, ...DECLARATION };
      return { ...check('address_matches_declared', 'inconclusive', `address on the ${KIND[doc.type]} not found`, doc.file), comparison };
    }
    const result = compareAddresses(address, declared, { threshold: ctx.settings.addressThreshold });
    const comparison: CheckComparison = { field: 'address', reference: declared, ...DECLARATION, found: address, score: result.score };
    const verdict = result.match
      ? check('address_matches_declared', 'pass', `${KIND[doc.type]} address matches the declared address (score ${score(result.score)})`, doc.file)
      : check('address_matches_declared', 'fail', `${KIND[doc.type]} address differs from the declared address (score ${score(result.score)})`, doc.file);
    return { ...verdict, comparison };
  });
}

function recencyChecks(ctx: Context): Check[] {
  const max = ctx.settings.maxProofAgeDays;
  return ctx.proofs.map((doc) => {
    const date = doc.fields.statementDate ?? doc.fields.issueDate;
    if (!date || !isIsoDate(date)) return check('proof_of_address_recent', 'inconclusive', `date of the ${KIND[doc.type]} not found`, doc.file);
    const age = daysBetween(date, ctx.asOf);
    if (age < 0) return check('proof_of_address_recent', 'inconclusive', `${KIND[doc.type]} is dated ${-age} days after the as-of date`, doc.file);
    return age <= max
      ? check('proof_of_address_recent', 'pass', `${KIND[doc.type]} is ${age} days old (limit ${max})`, doc.file)
      : check('proof_of_address_recent', 'fail', `${KIND[doc.type]} is ${age} days old, older than ${max} days`, doc.file);
  });
}

/**
 * Unreadable is not invalid: the verdict comes from every reading of the IBAN (see `ibanVerdict`).
 * It fails only when the readings agree on a string that fails mod-97; a value that passes only after
 * a look-alike swap, readings that disagree, or one OCR reading that fails are inconclusive.
 */
function ibanChecks(ctx: Context): Check[] {
  return ctx.readable.flatMap((doc) => {
    const verdict = ibanVerdict(doc.fields.iban, doc.evidence?.iban);
    if (!verdict) return [];
    const kind = KIND[doc.type];
    const detail: Record<IbanStatus, string> = {
      valid: `IBAN on the ${kind} is valid`,
      invalid: `IBAN on the ${kind} fails validation (country format or checksum) in every reading`,
      unverified: `IBAN on the ${kind} could not be verified: the readings disagree or pass only after a look-alike swap`,
      unreadable: `IBAN on the ${kind} could not be read`,
    };
    return [check('iban_valid', verdict.status, detail[verdict.outcome], doc.file)];
  });
}

function sanctionsCheck(ctx: Context): Check {
  if (!ctx.sanctions) return check('sanctions_screening', 'inconclusive', 'no sanctions list supplied');
  const reference = referenceName(ctx);
  if (!reference) return check('sanctions_screening', 'inconclusive', 'no name to screen');
  const dob = birthDate(ctx)?.value;
  const threshold = ctx.settings.sanctionsThreshold;
  const [best] = screenName(reference.name, dob, ctx.sanctions, { threshold, limit: 1 });
  if (!best) return check('sanctions_screening', 'pass', `no entry of ${ctx.sanctions.length} scored ${score(threshold)} or more`);
  const birth = best.birthDate === 'unknown' ? '' : `, birth date ${best.birthDate}`;
  const failed = check('sanctions_screening', 'fail', `possible match: entry ${best.entryId} (${best.entryName}), score ${score(best.score)}${birth}`);
  const entry = ctx.sanctions.find((e) => e.id === best.entryId);
  if (!entry) return failed;
  return {
    ...failed,
    sanctionsMatch: {
      screenedName: reference.name,
      screenedSource: reference.source === 'declared name' ? 'declaration' : reference.source.replace(/ name$/, ''),
      ...(dob ? { screenedBirthDate: dob } : {}),
      entryId: entry.id,
      schema: entry.schema,
      entryName: entry.name,
      aliases: entry.aliases,
      birthDates: entry.birthDates,
      countries: entry.countries,
      programmes: entry.programmes ?? [],
      datasets: entry.datasets,
      matchedName: best.matchedName,
      nameScore: best.nameScore,
      score: best.score,
      birthDate: best.birthDate,
      threshold,
    },
  };
}

function settingsOf(options: CheckOptions = {}): Settings {
  return {
    maxProofAgeDays: options.maxProofAgeDays ?? 90,
    adultAge: options.adultAge ?? 18,
    nameThreshold: options.nameThreshold ?? DEFAULT_NAME_THRESHOLD,
    addressThreshold: options.addressThreshold ?? DEFAULT_ADDRESS_THRESHOLD,
    sanctionsThreshold: options.sanctionsThreshold ?? DEFAULT_SANCTIONS_THRESHOLD,
  };
}

/** Every check of a case, in a stable order: grouped in `CHECK_IDS` order, documents in input order. */
export function runChecks(input: CheckInput): Check[] {
  if (!isIsoDate(input.asOf)) throw new RangeError(`asOf is not a YYYY-MM-DD date: ${input.asOf}`);
  const readable = input.documents.filter((d) => !d.error && d.type !== 'unknown');
  const ctx: Context = {
    applicant: input.applicant,
    asOf: input.asOf,
    ...(input.sanctions ? { sanctions: input.sanctions } : {}),
    readable,
    identities: readable.filter((d) => IDENTITY_TYPES.includes(d.type)),
    proofs: readable.filter((d) => PROOF_OF_ADDRESS_TYPES.includes(d.type)),
    settings: settingsOf(input.options),
  };
  const declared = declaredNameChecks(ctx);
  return [
    ...readabilityChecks(input.documents),
    ...presenceChecks(ctx),
    ...expiryChecks(ctx),
    adultCheck(ctx),
    ...mrzChecksumChecks(ctx),
    ...mrzVisualChecks(ctx),
    ...declared,
    ...identityNameChecks(ctx, declared),
    ...proofNameChecks(ctx),
    ...addressChecks(ctx),
    ...recencyChecks(ctx),
    ...ibanChecks(ctx),
    sanctionsCheck(ctx),
  ];
}
