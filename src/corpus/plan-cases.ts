/**
 * Case planning: which decision path each applicant takes, which documents they submit, what they
 * declared. Pure and fast: no rendering happens here.
 */
import type { DocumentType } from '../domain/documents.js';
import { monthYear } from './dates.js';
import type { MrzCheck } from './mrz.js';
import type { Person, ResidenceCountry } from './people.js';
import { addressText, fullName, otherSurname, randomAddress, randomPerson } from './people.js';
import type { PlanContext } from './plan-documents.js';
import {
  ID_CARD_STATES, makeBankStatement, makeCompanyRegistration, makeDrivingLicence, makeIdCard, makePassport, makePayslip,
  makeUtilityBill,
} from './plan-documents.js';
import type { Rng } from './random.js';
import { rngFor } from './random.js';
import type {
  CaseSpec, DecisionReason, DeclaredApplicant, DocumentSpec, FileFormat, IdentitySpec, ProofOfAddressSpec, UnreadableSpec,
} from './specs.js';
import { DECISION_REASONS, FILE_EXTENSIONS } from './specs.js';

export type PlannedType = Exclude<DocumentType, 'unknown'>;

export interface DocRecipe {
  type: PlannedType;
  format: FileFormat;
}

/** What one applicant submits and which (single) flaw the case carries. */
export interface CaseRecipe {
  reason?: DecisionReason;
  identity: DocRecipe[];
  proofOfAddress: DocRecipe[];
  extras: DocRecipe[];
  unreadable?: UnreadableSpec['corruption'];
  /** Force the residence country / nationality (the sample batch needs an ID-card state). */
  country?: ResidenceCountry;
  nationality?: string;
  /** Declare the name exactly as the documents give it (sample batch). */
  exactDeclaration?: boolean;
}

/**
 * One reason per flawed case, cycling through every decision path; about half the cases are clean.
 * Cases are shuffled so case ids say nothing about the outcome.
 */
export function assignReasons(count: number, rng: Rng): (DecisionReason | undefined)[] {
  const flawed = Math.floor(count / 2);
  const reasons: (DecisionReason | undefined)[] = [];
  for (let i = 0; i < count; i++) reasons.push(i < flawed ? DECISION_REASONS[i % DECISION_REASONS.length] : undefined);
  return rng.shuffle(reasons);
}

const IDENTITY_FORMATS: readonly (readonly [FileFormat, number])[] = [
  ['photo-jpeg', 3], ['photo-png', 1], ['photo-webp', 1], ['scan-pdf', 3], ['scan-png', 0.5],
];
const PROOF_FORMATS: readonly (readonly [FileFormat, number])[] = [
  ['text-pdf', 6], ['scan-pdf', 2], ['scan-tiff', 1.5], ['photo-jpeg', 0.5],
];

function identityRecipe(rng: Rng, types: readonly (readonly [PlannedType, number])[]): DocRecipe {
  return { type: rng.weighted(types), format: rng.weighted(IDENTITY_FORMATS) };
}

function proofRecipe(rng: Rng, type?: PlannedType): DocRecipe {
  const chosen = type ?? rng.weighted<PlannedType>([['utility_bill', 4], ['bank_statement', 3.5], ['payslip', 2.5]]);
  return { type: chosen, format: rng.weighted(PROOF_FORMATS) };
}

const ANY_IDENTITY = [['passport', 5], ['id_card', 3], ['driving_licence', 2]] as const;
const MRZ_IDENTITY = [['passport', 3], ['id_card', 2]] as const;

/** The documents a case with this reason submits (clean when reason is undefined). */
export function recipeFor(reason: DecisionReason | undefined, rng: Rng): CaseRecipe {
  const twoIdentities = rng.chance(0.15);
  const identity = [identityRecipe(rng, ANY_IDENTITY)];
  if (twoIdentities) identity.push(identityRecipe(rng, ANY_IDENTITY));
  const proofOfAddress = [proofRecipe(rng)];
  if (rng.chance(0.2)) proofOfAddress.push(proofRecipe(rng));
  const extras: DocRecipe[] = rng.chance(0.1) ? [{ type: 'company_registration', format: rng.chance(0.8) ? 'text-pdf' : 'scan-pdf' }] : [];
  const recipe: CaseRecipe = { ...(reason ? { reason } : {}), identity, proofOfAddress, extras };
  switch (reason) {
    case 'expired_document':
    case 'mrz_checksum':
      return { ...recipe, identity: [identityRecipe(rng, reason === 'mrz_checksum' ? MRZ_IDENTITY : ANY_IDENTITY)] };
    case 'underage':
      return { ...recipe, identity: [identityRecipe(rng, MRZ_IDENTITY)], proofOfAddress: [proofRecipe(rng, rng.pick(['bank_statement', 'utility_bill'] as const))] };
    case 'missing_identity':
      return { ...recipe, identity: [], proofOfAddress: [proofRecipe(rng), proofRecipe(rng)].slice(0, rng.int(1, 2)) };
    case 'missing_proof_of_address':
      return { ...recipe, proofOfAddress: [], extras: rng.chance(0.5) ? [{ type: 'company_registration', format: 'text-pdf' }] : [] };
    case 'unreadable_document':
      return { ...recipe, unreadable: rng.pick(['truncated-pdf', 'truncated-jpeg', 'blank-page'] as const) };
    case 'address_mismatch':
      // A driving licence also carries an address; keep the mismatch about the proofs of address alone.
      return { ...recipe, identity: [identityRecipe(rng, MRZ_IDENTITY)] };
    case 'stale_proof_of_address':
      return { ...recipe, proofOfAddress: [proofRecipe(rng)] };
    case 'invalid_iban':
      return { ...recipe, proofOfAddress: [proofRecipe(rng, 'bank_statement')] };
    default:
      return recipe;
  }
}

const MRZ_CHECKS: readonly MrzCheck[] = ['documentNumber', 'dateOfBirth', 'expiryDate', 'composite'];

function makeIdentity(ctx: PlanContext, recipe: DocRecipe, flaw: DecisionReason | undefined): IdentitySpec {
  const options = {
    format: recipe.format,
    expired: flaw === 'expired_document',
    ...(flaw === 'mrz_checksum' ? { breakCheck: ctx.rng.pick(MRZ_CHECKS) } : {}),
  };
  const hasIdCard = ID_CARD_STATES.includes(ctx.person.nationality);
  const doc =
    recipe.type === 'id_card' && hasIdCard ? makeIdCard(ctx, options)
      : recipe.type === 'driving_licence' && flaw !== 'mrz_checksum' ? makeDrivingLicence(ctx, options)
        : makePassport(ctx, options);
  const flags: DecisionReason[] = flaw === 'expired_document' || flaw === 'mrz_checksum' || flaw === 'underage' ? [flaw] : [];
  return { ...doc, flags };
}

function makeProof(ctx: PlanContext, recipe: DocRecipe, flaw: DecisionReason | undefined): ProofOfAddressSpec {
  const options = { format: recipe.format, stale: flaw === 'stale_proof_of_address', invalidIban: flaw === 'invalid_iban' };
  const doc =
    recipe.type === 'bank_statement' ? makeBankStatement(ctx, options)
      : recipe.type === 'payslip' ? makePayslip(ctx, options)
        : makeUtilityBill(ctx, options);
  const docFlaws: readonly DecisionReason[] = ['stale_proof_of_address', 'invalid_iban', 'address_mismatch'];
  return { ...doc, flags: flaw && docFlaws.includes(flaw) ? [flaw] : [] };
}

function makeUnreadable(ctx: PlanContext, corruption: UnreadableSpec['corruption']): UnreadableSpec {
  const base = { type: 'unknown' as const, fileName: '', template: 0, flags: ['unreadable_document' as const], corruption };
  switch (corruption) {
    case 'truncated-pdf':
      return { ...base, format: 'text-pdf', original: makeUtilityBill(ctx, { format: 'text-pdf' }) };
    case 'truncated-jpeg':
      return { ...base, format: 'photo-jpeg', original: makePassport(ctx, { format: 'photo-jpeg' }) };
    case 'blank-page':
      return { ...base, format: 'scan-pdf' };
  }
}

/** Each document of the case, with the flaw applied to the first document it concerns. */
function caseDocuments(ctx: PlanContext, recipe: CaseRecipe): DocumentSpec[] {
  const flaw = recipe.reason;
  const identity = recipe.identity.map((r, i) => makeIdentity(ctx, r, i === 0 || flaw === 'underage' ? flaw : undefined));
  const proofs = recipe.proofOfAddress.map((r, i) => makeProof(ctx, r, i === 0 || flaw === 'address_mismatch' ? flaw : undefined));
  const extras = recipe.extras.map((r) => makeCompanyRegistration(ctx, r.format));
  const unreadable = recipe.unreadable ? [makeUnreadable(ctx, recipe.unreadable)] : [];
  const docs: DocumentSpec[] = [...identity, ...proofs, ...extras, ...unreadable];
  return ctx.rng.shuffle(docs);
}

const NAME_STEMS: Record<DocumentType, readonly string[]> = {
  passport: ['passport', 'passport_scan', 'Passport', 'pass-photo-page'],
  id_card: ['id_card', 'national-id', 'ID_front_back', 'identity_card'],
  driving_licence: ['driving_licence', 'licence', 'driving-licence-front'],
  utility_bill: ['utility_bill', 'bill', 'energy_bill'],
  bank_statement: ['bank_statement', 'statement', 'Statement'],
  payslip: ['payslip', 'salary_slip', 'Payslip'],
  company_registration: ['certificate_of_incorporation', 'company_registration', 'company_docs'],
  visa: ['visa', 'visa_page', 'Visa'],
  unknown: ['document', 'upload', 'file'],
};

function fileStem(doc: DocumentSpec, rng: Rng): string {
  const described = doc.type === 'unknown' ? doc.original ?? doc : doc;
  if (rng.chance(0.35)) {
    if (doc.format.startsWith('photo')) return `IMG_${rng.int(1000, 9999)}`;
    if (doc.format === 'text-pdf') return rng.pick(['download', 'document', 'attachment']) + `_${rng.digits(4)}`;
    return rng.pick(['scan', 'Scan', 'doc']) + `_${rng.digits(4)}`;
  }
  const stem = rng.pick(NAME_STEMS[described.type]);
  if ((described.type === 'payslip' || described.type === 'bank_statement') && rng.chance(0.5)) {
    return `${stem}_${monthYear(described.documentDate).replace(' ', '_')}`;
  }
  return stem;
}

function nameFiles(docs: DocumentSpec[], rng: Rng): DocumentSpec[] {
  const used = new Set<string>();
  return docs.map((doc) => {
    const ext = FILE_EXTENSIONS[doc.format];
    let name = `${fileStem(doc, rng)}.${ext}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = name.replace(/(_\d+)?\.[a-z]+$/, `_${n}.${ext}`);
    used.add(name.toLowerCase());
    return { ...doc, fileName: name };
  });
}

/**
 * What the bank declared. Clean cases vary the name within the engine's tolerances (case, accents,
 * order, missing middle name, hyphens and apostrophes) and the address within its abbreviations.
 */
function declare(person: Person, rng: Rng, recipe: CaseRecipe): DeclaredApplicant {
  const surname = recipe.reason === 'name_mismatch' ? otherSurname(rng, person) : person.surname;
  const name = { givenNames: person.givenNames, surname };
  const address = recipe.reason === 'address_mismatch' ? differentAddress(person, rng) : person.address;
  const variant = recipe.exactDeclaration ? 'exact' : rng.pick(['exact', 'exact', 'no-accents', 'surname-first', 'upper', 'no-middle', 'no-punctuation'] as const);
  return {
    fullName: declaredName(name, variant),
    dateOfBirth: person.dateOfBirth,
    address: addressText(address, { abbreviate: !recipe.exactDeclaration && rng.chance(0.3) }),
    nationality: person.nationality,
  };
}

type DeclaredVariant = 'exact' | 'no-accents' | 'surname-first' | 'upper' | 'no-middle' | 'no-punctuation';

function declaredName(name: { givenNames: string; surname: string }, variant: DeclaredVariant): string {
  const natural = fullName(name);
  switch (variant) {
    case 'exact':
      return natural;
    case 'no-accents':
      return natural.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
    case 'surname-first':
      return `${name.surname} ${name.givenNames}`;
    case 'upper':
      return natural.toUpperCase();
    case 'no-middle':
      return `${name.givenNames.split(' ')[0]} ${name.surname}`;
    case 'no-punctuation':
      return natural.replace(/['-]/g, (char) => (char === '-' ? ' ' : ''));
  }
}

function differentAddress(person: Person, rng: Rng): ReturnType<typeof randomAddress> {
  for (;;) {
    const candidate = randomAddress(rng, person.address.country);
    if (candidate.street !== person.address.street && candidate.city !== person.address.city) return candidate;
    if (candidate.street !== person.address.street && candidate.postcode !== person.address.postcode) return candidate;
  }
}

/** Identity key for uniqueness: accent-free first given name + surname. */
export function personKey(person: Pick<Person, 'givenNames' | 'surname'>): string {
  const first = person.givenNames.split(' ')[0] ?? '';
  return `${first} ${person.surname}`.normalize('NFD').replace(/[^A-Za-z ]/g, '').toUpperCase();
}

export interface PlanCaseOptions {
  caseId: string;
  seed: number;
  asOf: string;
  recipe: CaseRecipe;
  /** Keys of people already in the corpus: names are kept unique so sanctions hits are unambiguous. */
  takenKeys: Set<string>;
}

export interface PlannedCase {
  spec: CaseSpec;
  person: Person;
}

function agesFor(reason: DecisionReason | undefined): [number, number] {
  if (reason === 'underage') return [16, 17];
  if (reason === 'expired_document') return [30, 75];
  return [19, 78];
}

/** Draws of a unique name before the draws take a second surname. */
const MAX_NAME_DRAWS = 2000;

export function planCase(options: PlanCaseOptions): PlannedCase {
  const { caseId, seed, asOf, recipe, takenKeys } = options;
  const rng = rngFor(seed, caseId);
  const [minAge, maxAge] = agesFor(recipe.reason);
  const personOptions = { asOf, minAge, maxAge, ...(recipe.country ? { country: recipe.country } : {}), ...(recipe.nationality ? { nationality: recipe.nationality } : {}) };
  let person = randomPerson(rng, personOptions);
  for (let draws = 1; takenKeys.has(personKey(person)); draws++) {
    person = randomPerson(rng, personOptions);
    // A nationality's name pool has a few hundred first-name/surname pairs: a big corpus uses them
    // up, and then a second surname (double-barrelled, as many are) makes the name unique.
    if (draws >= MAX_NAME_DRAWS) person = { ...person, surname: `${person.surname}-${randomPerson(rng, personOptions).surname}` };
  }
  takenKeys.add(personKey(person));
  const ctx: PlanContext = { rng, asOf, person };
  const documents = nameFiles(caseDocuments(ctx, recipe), rng);
  const spec: CaseSpec = {
    caseId,
    reasons: recipe.reason ? [recipe.reason] : [],
    applicant: declare(person, rng, recipe),
    documents,
  };
  return { spec, person };
}
