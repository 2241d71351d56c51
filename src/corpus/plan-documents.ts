/** Factories for document specs: what one document of each type says, for one person. */
import type { DateStyle, IdDateStyle } from './dates.js';
import { addDays, addYears, DATE_STYLES, daysBetween } from './dates.js';
import { corruptIban } from './iban.js';
import type { MrzCheck } from './mrz.js';
import { cents } from './format.js';
import {
  randomBankAccount, randomCompanyName, randomCompanyNumber, randomEmployer, randomJobTitle, randomSupplier,
} from './organisations.js';
import type { Address, Person } from './people.js';
import { fullName, RESIDENCE_ALPHA3 } from './people.js';
import type { Rng } from './random.js';
import type {
  BankStatementSpec, CompanyRegistrationSpec, DrivingLicenceSpec, FileFormat, IdCardSpec, IdentityContent, NameStyle,
  PassportSpec, PayslipSpec, PrintedName, Transaction, UtilityBillSpec, UtilityKind,
} from './specs.js';

export interface PlanContext {
  rng: Rng;
  asOf: string;
  person: Person;
}

export interface IdentityOptions {
  format: FileFormat;
  expired?: boolean;
  breakCheck?: MrzCheck;
}

export interface ProofOptions {
  format: FileFormat;
  /** Dated more than 90 days before asOf. */
  stale?: boolean;
  invalidIban?: boolean;
}

const NO_CONFUSABLES = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function letters(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += NO_CONFUSABLES[rng.int(0, NO_CONFUSABLES.length - 1)];
  return out;
}

/** Passport and ID-card numbers, roughly in each state's pattern (letters that OCR confuses avoided). */
function identityNumber(rng: Rng, state: string): string {
  switch (state) {
    case 'GBR':
    case 'SWE':
      return rng.digits(9);
    case 'FRA':
      return `${rng.digits(2)}${letters(rng, 2)}${rng.digits(5)}`;
    case 'ESP':
      return `${letters(rng, 3)}${rng.digits(6)}`;
    case 'DEU':
    case 'NLD':
      return `${letters(rng, 1)}${letters(rng, 2)}${rng.digits(1)}${letters(rng, 1)}${rng.digits(4)}`;
    case 'PRT':
      return `${letters(rng, 1)}${rng.digits(6)}`;
    default:
      return `${letters(rng, 2)}${rng.digits(7)}`;
  }
}

const PASSPORT_AUTHORITIES: Record<string, string> = {
  GBR: 'HMPO', IRL: 'DFA DUBLIN', DEU: 'STADT KÖLN', FRA: 'PRÉFECTURE DU RHÔNE', ESP: 'DGP MADRID', NLD: 'BURG. VAN UTRECHT',
  ITA: 'MINISTERO AFFARI ESTERI', SWE: 'POLISMYNDIGHETEN', PRT: 'SEF LISBOA', POL: 'WOJEWODA MAZOWIECKI',
};

const LICENCE_AUTHORITIES: Record<string, string> = { GB: 'DVLA', IE: 'RSA', DE: 'Landratsamt', NL: 'RDW' };

/** States that issue national identity cards (the United Kingdom does not). */
export const ID_CARD_STATES: readonly string[] = ['IRL', 'DEU', 'FRA', 'ESP', 'NLD', 'ITA', 'SWE', 'PRT', 'POL'];

interface Validity {
  issueDate: string;
  expiryDate: string;
}

/**
 * Issue and expiry dates: valid documents expire at least 40 days after asOf; expired ones expired
 * 20–900 days before it. Documents are never issued before `minAgeAtIssue`.
 */
function validity(ctx: PlanContext, years: number, minAgeAtIssue: number, expired: boolean): Validity {
  const { rng, asOf, person } = ctx;
  if (expired) {
    const expiryDate = addDays(asOf, -rng.int(20, 900));
    return { issueDate: addDays(addYears(expiryDate, -years), 1), expiryDate };
  }
  const earliestByAge = addYears(person.dateOfBirth, minAgeAtIssue);
  const earliestByExpiry = addDays(addYears(asOf, -years), 41);
  const lo = earliestByAge > earliestByExpiry ? earliestByAge : earliestByExpiry;
  const hi = addDays(asOf, -20);
  const issueDate = addDays(lo, rng.int(0, Math.max(0, daysBetween(lo, hi))));
  return { issueDate, expiryDate: addDays(addYears(issueDate, years), -1) };
}

function identityContent(ctx: PlanContext, state: string, authority: string, dates: Validity): IdentityContent {
  const { rng, person } = ctx;
  const dateStyle: IdDateStyle = rng.pick(['dd-MON-yyyy', 'bilingual', 'dotted'] as const);
  return {
    surname: person.surname, givenNames: person.givenNames, sex: person.sex, dateOfBirth: person.dateOfBirth,
    nationality: person.nationality, placeOfBirth: person.placeOfBirth, documentNumber: identityNumber(rng, state),
    issuingCountry: state, authority, dateStyle, ...dates,
  };
}

function isMinor(ctx: PlanContext): boolean {
  return addYears(ctx.person.dateOfBirth, 18) > ctx.asOf;
}

export function makePassport(ctx: PlanContext, options: IdentityOptions): PassportSpec {
  const state = ctx.person.nationality;
  const dates = validity(ctx, isMinor(ctx) ? 5 : 10, isMinor(ctx) ? 0 : 16, options.expired ?? false);
  return {
    type: 'passport', fileName: '', format: options.format, template: ctx.rng.int(0, 1), flags: [],
    ...identityContent(ctx, state, PASSPORT_AUTHORITIES[state] ?? 'MINISTRY OF FOREIGN AFFAIRS', dates),
    ...(options.breakCheck ? { breakCheck: options.breakCheck } : {}),
  };
}

export function makeIdCard(ctx: PlanContext, options: IdentityOptions): IdCardSpec {
  const state = ctx.person.nationality;
  const dates = validity(ctx, 10, 0, options.expired ?? false);
  return {
    type: 'id_card', fileName: '', format: options.format, template: ctx.rng.int(0, 1), flags: [],
    ...identityContent(ctx, state, PASSPORT_AUTHORITIES[state] ?? 'MINISTRY OF INTERIOR', dates),
    ...(options.breakCheck ? { breakCheck: options.breakCheck } : {}),
  };
}

function licenceNumber(rng: Rng, person: Person): string {
  switch (person.address.country) {
    case 'GB': {
      // DVLA style: surname(5) + decade + month(+50 for women) + day + year digit + initials + 9 + 2 check chars.
      const surname = person.surname.toUpperCase().normalize('NFD').replace(/[^A-Z]/g, '').padEnd(5, '9').slice(0, 5);
      const [y, m, d] = person.dateOfBirth.split('-') as [string, string, string];
      const month = String(Number(m) + (person.sex === 'F' ? 50 : 0)).padStart(2, '0');
      const initials = person.givenNames.normalize('NFD').replace(/[^A-Za-z ]/g, '').split(' ').map((w) => w[0] ?? '9').join('').toUpperCase();
      return `${surname}${y[2]}${month}${d}${y[3]}${initials.padEnd(2, '9').slice(0, 2)}9${letters(rng, 2)}`;
    }
    case 'IE':
      return rng.digits(9);
    case 'DE':
      return `${letters(rng, 1)}${rng.digits(3)}${letters(rng, 3)}${rng.digits(1)}${letters(rng, 1)}${rng.digits(2)}`;
    case 'NL':
      return rng.digits(10);
  }
}

export function makeDrivingLicence(ctx: PlanContext, options: IdentityOptions): DrivingLicenceSpec {
  const { rng, person } = ctx;
  const country = person.address.country;
  const dates = validity(ctx, 10, 18, options.expired ?? false);
  return {
    type: 'driving_licence', fileName: '', format: options.format, template: rng.int(0, 1), flags: [],
    ...identityContent(ctx, RESIDENCE_ALPHA3[country], LICENCE_AUTHORITIES[country] ?? 'DVLA', dates),
    documentNumber: licenceNumber(rng, person),
    dateStyle: 'dotted',
    address: person.address,
    addressStyle: { uppercase: rng.chance(0.5), abbreviate: rng.chance(0.3) },
    categories: rng.pick(['AM/B/BE', 'B', 'A1/B/C1', 'AM/A2/B']),
  };
}

/** Document date for a proof of address: 3–75 days before asOf when fresh, 100–330 when stale. */
function proofDate(ctx: PlanContext, stale: boolean): string {
  return stale ? addDays(ctx.asOf, -ctx.rng.int(100, 330)) : addDays(ctx.asOf, -ctx.rng.int(3, 75));
}

/** The holder's name as a proof of address prints it; sometimes without the middle name. */
function printedName(ctx: PlanContext): PrintedName {
  const { rng, person } = ctx;
  const dropMiddle = person.givenNames.includes(' ') && rng.chance(0.4);
  const style: NameStyle = rng.weighted<NameStyle>([['natural', 5], ['upper', 3], ['surname-comma', 1], ['surname-first', 1]]);
  return { givenNames: dropMiddle ? (person.givenNames.split(' ')[0] as string) : person.givenNames, surname: person.surname, style };
}

interface AddressedBase {
  name: PrintedName;
  address: Address;
  addressStyle: { abbreviate: boolean; uppercase: boolean };
  documentDate: string;
  dateStyle: DateStyle;
  currency: 'GBP' | 'EUR';
}

function addressed(ctx: PlanContext, stale: boolean): AddressedBase {
  const { rng, person } = ctx;
  return {
    name: printedName(ctx),
    address: person.address,
    addressStyle: { abbreviate: rng.chance(0.35), uppercase: rng.chance(0.25) },
    documentDate: proofDate(ctx, stale),
    dateStyle: rng.pick(DATE_STYLES),
    currency: person.address.country === 'GB' ? 'GBP' : 'EUR',
  };
}

export function makeUtilityBill(ctx: PlanContext, options: ProofOptions): UtilityBillSpec {
  const { rng } = ctx;
  const base = addressed(ctx, options.stale ?? false);
  const utility: UtilityKind = rng.weighted<UtilityKind>([['electricity', 3], ['gas', 2], ['water', 1]]);
  const periodEnd = addDays(base.documentDate, -rng.int(2, 6));
  const units = { electricity: [180, 520], gas: [300, 1400], water: [8, 30] } as const;
  const prices = { electricity: [0.24, 0.34], gas: [0.06, 0.1], water: [1.8, 3.1] } as const;
  return {
    type: 'utility_bill', fileName: '', format: options.format, template: rng.int(0, 2), flags: [], ...base,
    utility,
    supplier: randomSupplier(rng, ctx.person.address.country, utility),
    accountNumber: `${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`,
    periodStart: addDays(periodEnd, -rng.pick([29, 30, 90])),
    periodEnd,
    dueDate: addDays(base.documentDate, 14),
    previousBalance: cents(rng.float(20, 160)),
    payments: 0,
    usage: rng.int(units[utility][0], units[utility][1]),
    unitPrice: cents(rng.float(prices[utility][0], prices[utility][1]) * 1000) / 1000,
    standingCharge: cents(rng.float(0.25, 0.6)),
    taxRate: base.currency === 'GBP' ? 0.05 : rng.pick([0.09, 0.19, 0.21]),
  };
}

const TRANSACTION_TEMPLATES = [
  ['CARD PAYMENT CORNER GROCER', -12, -95],
  ['CARD PAYMENT BLUE DOOR CAFE', -3, -18],
  ['DIRECT DEBIT ENERGY SUPPLY', -45, -140],
  ['STANDING ORDER RENT', -650, -1400],
  ['ATM WITHDRAWAL', -20, -200],
  ['TRANSFER TO SAVINGS', -50, -400],
  ['CARD PAYMENT RAIL TICKETS', -8, -120],
  ['REFUND ONLINE STORE', 5, 60],
] as const;

function transactions(rng: Rng, start: string, end: string, salaryFrom: string): Transaction[] {
  const span = daysBetween(start, end);
  const list: Transaction[] = [{ date: addDays(start, rng.int(1, Math.max(1, span - 1))), description: `SALARY ${salaryFrom.toUpperCase()}`, amount: cents(rng.float(1900, 4800)) }];
  const count = rng.int(6, 11);
  for (let i = 0; i < count; i++) {
    const [description, lo, hi] = rng.pick(TRANSACTION_TEMPLATES);
    list.push({ date: addDays(start, rng.int(0, span)), description, amount: cents(rng.float(Math.min(lo, hi), Math.max(lo, hi))) });
  }
  return list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function makeBankStatement(ctx: PlanContext, options: ProofOptions): BankStatementSpec {
  const { rng, person } = ctx;
  const base = addressed(ctx, options.stale ?? false);
  const account = randomBankAccount(rng, person.address.country);
  const periodStart = addDays(base.documentDate, -rng.int(27, 30));
  const employer = randomEmployer(rng, person.address.country).name;
  return {
    type: 'bank_statement', fileName: '', format: options.format, template: rng.int(0, 2),
    flags: [], ...base,
    bank: account.bank,
    iban: options.invalidIban ? corruptIban(account.iban, rng) : account.iban,
    accountNumber: account.accountNumber,
    ...(account.sortCode ? { sortCode: account.sortCode } : {}),
    periodStart,
    openingBalance: cents(rng.float(150, 6000)),
    transactions: transactions(rng, periodStart, base.documentDate, employer),
  };
}

export function makePayslip(ctx: PlanContext, options: ProofOptions): PayslipSpec {
  const { rng, person } = ctx;
  const base = addressed(ctx, options.stale ?? false);
  const gross = cents(rng.int(180, 700) * 10 + rng.pick([0, 0.5, 0.33]));
  const taxId = {
    GB: `${letters(rng, 2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.pick(['A', 'B', 'C', 'D'])}`,
    IE: `${rng.digits(7)}${letters(rng, 1)}`,
    DE: rng.digits(11),
    NL: rng.digits(9),
  }[person.address.country];
  return {
    type: 'payslip', fileName: '', format: options.format, template: rng.int(0, 1), flags: [], ...base,
    employer: randomEmployer(rng, person.address.country),
    employeeNumber: `E${rng.digits(5)}`,
    taxId,
    jobTitle: randomJobTitle(rng),
    gross,
    incomeTax: cents(gross * rng.float(0.14, 0.24)),
    socialSecurity: cents(gross * rng.float(0.04, 0.1)),
    pension: cents(gross * rng.pick([0.03, 0.04, 0.05])),
  };
}

export function makeCompanyRegistration(ctx: PlanContext, format: FileFormat): CompanyRegistrationSpec {
  const { rng, person, asOf } = ctx;
  const country = person.address.country;
  return {
    type: 'company_registration', fileName: '', format, template: rng.int(0, 1), flags: [],
    country,
    companyName: randomCompanyName(rng, country),
    registrationNumber: randomCompanyNumber(rng, country),
    incorporationDate: addDays(asOf, -rng.int(120, 4000)),
    registeredOffice: randomOffice(ctx),
    director: fullName(person),
    dateStyle: rng.pick(DATE_STYLES),
  };
}

/** The registered office is a business address in the holder's country, not their home. */
function randomOffice(ctx: PlanContext): Address {
  return randomEmployer(ctx.rng, ctx.person.address.country).address;
}
