/** Invented suppliers, banks, employers and companies, per residence country. */
import type { IbanCountry } from './iban.js';
import { ibanFromBban } from './iban.js';
import { randomAddress } from './people.js';
import type { ResidenceCountry } from './people.js';
import type { Rng } from './random.js';
import type { Organisation, UtilityKind } from './specs.js';

const SUPPLIERS: Record<ResidenceCountry, Record<UtilityKind, readonly string[]>> = {
  GB: {
    electricity: ['Greenfield Energy Ltd', 'Brightspark Power plc'],
    gas: ['Northern Gas Supply Ltd', 'Hearthside Gas plc'],
    water: ['Riverside Water Services plc', 'Vale Water Ltd'],
  },
  IE: {
    electricity: ['Liffey Electric DAC', 'Emerald Power Ltd'],
    gas: ['Atlantic Gas Supply DAC'],
    water: ['Shannon Water Services'],
  },
  DE: {
    electricity: ['Stadtwerke Nordlicht GmbH', 'Rheinstrom Energie AG'],
    gas: ['Rheingas Versorgung GmbH'],
    water: ['Wasserwerke Elbtal GmbH'],
  },
  NL: {
    electricity: ['Polderstroom B.V.', 'Windkracht Energie B.V.'],
    gas: ['Duinegas B.V.'],
    water: ['Waterbedrijf Lage Landen N.V.'],
  },
};

interface BankInfo {
  name: string;
  code: string;
  bic: string;
}

const BANKS: Record<ResidenceCountry, readonly BankInfo[]> = {
  GB: [
    { name: 'Albion Bank plc', code: 'ALBN', bic: 'ALBNGB2L' },
    { name: 'Harbourside Building Society', code: 'HRBS', bic: 'HRBSGB21' },
  ],
  IE: [
    { name: 'Bank of Inishmore DAC', code: 'INSH', bic: 'INSHIE2D' },
    { name: 'Claddagh Savings Bank', code: 'CLDG', bic: 'CLDGIE21' },
  ],
  DE: [
    { name: 'Nordwest Bank AG', code: '20050550', bic: 'NOWBDEHH' },
    { name: 'Alpenland Sparkasse', code: '70150000', bic: 'ALPSDEMM' },
  ],
  NL: [
    { name: 'Polder Bank N.V.', code: 'PLDR', bic: 'PLDRNL2A' },
    { name: 'Grachten Spaarbank', code: 'GRCH', bic: 'GRCHNL2U' },
  ],
};

const EMPLOYERS: Record<ResidenceCountry, readonly string[]> = {
  GB: ['Northwind Logistics Ltd', 'Brightwater Analytics Ltd', 'Harbour & Finch Consulting Ltd', 'Copperleaf Hospitality Ltd'],
  IE: ['Blackthorn Engineering DAC', 'Corrib Software Ltd', 'Wexford Foods Ltd'],
  DE: ['Kestrel Software GmbH', 'Elbufer Logistik GmbH', 'Brunnen Medizintechnik AG'],
  NL: ['Tulip Data Systems B.V.', 'Zeeland Havendiensten B.V.', 'Molenwerk Design B.V.'],
};

const JOB_TITLES = ['Software Engineer', 'Warehouse Operative', 'Accountant', 'Nurse', 'Sales Manager', 'Data Analyst', 'Chef', 'Project Coordinator'] as const;

function phone(rng: Rng, country: ResidenceCountry): string {
  switch (country) {
    case 'GB':
      return `0${rng.int(300, 345)} ${rng.digits(3)} ${rng.digits(4)}`;
    case 'IE':
      return `01 ${rng.digits(3)} ${rng.digits(4)}`;
    case 'DE':
      return `0${rng.int(30, 89)} ${rng.digits(7)}`;
    case 'NL':
      return `0${rng.int(10, 79)} ${rng.digits(3)} ${rng.digits(4)}`;
  }
}

function website(name: string, country: ResidenceCountry): string {
  const domain = name.toLowerCase().replace(/\b(ltd|plc|dac|gmbh|ag|b\.v\.|n\.v\.)\b/g, '').normalize('NFD').replace(/[^a-z]/g, '');
  const tld = { GB: 'co.uk', IE: 'ie', DE: 'de', NL: 'nl' }[country];
  return `www.${domain}.${tld}`;
}

function organisation(rng: Rng, name: string, country: ResidenceCountry): Organisation {
  const address = randomAddress(rng, country);
  delete address.unit; // business addresses have no flat numbers
  return { name, address, phone: phone(rng, country), website: website(name, country) };
}

export function randomSupplier(rng: Rng, country: ResidenceCountry, utility: UtilityKind): Organisation {
  return organisation(rng, rng.pick(SUPPLIERS[country][utility]), country);
}

export function randomEmployer(rng: Rng, country: ResidenceCountry): Organisation {
  return organisation(rng, rng.pick(EMPLOYERS[country]), country);
}

export function randomJobTitle(rng: Rng): string {
  return rng.pick(JOB_TITLES);
}

export interface BankAccount {
  bank: Organisation & { bic: string };
  iban: string;
  accountNumber: string;
  sortCode?: string;
}

/** A bank and a valid account with it: the IBAN embeds the bank code, sort code and account number. */
export function randomBankAccount(rng: Rng, country: ResidenceCountry): BankAccount {
  const info = rng.pick(BANKS[country]);
  const bank = { ...organisation(rng, info.name, country), bic: info.bic };
  const ibanCountry: IbanCountry = country;
  switch (country) {
    case 'GB':
    case 'IE': {
      const sort = rng.digits(6);
      const account = rng.digits(8);
      return {
        bank,
        iban: ibanFromBban(ibanCountry, info.code + sort + account),
        accountNumber: account,
        sortCode: `${sort.slice(0, 2)}-${sort.slice(2, 4)}-${sort.slice(4)}`,
      };
    }
    case 'DE': {
      const account = rng.digits(10);
      return { bank, iban: ibanFromBban(ibanCountry, info.code + account), accountNumber: account };
    }
    case 'NL': {
      const account = rng.digits(10);
      return { bank, iban: ibanFromBban(ibanCountry, info.code + account), accountNumber: account };
    }
  }
}

const COMPANY_FIRST = ['Silverbirch', 'Quayside', 'Meridian', 'Foxglove', 'Larkspur', 'Ironbridge', 'Bluefin', 'Heron', 'Oakmoor'] as const;
const COMPANY_SECOND = ['Trading', 'Consulting', 'Digital', 'Holdings', 'Design', 'Logistics', 'Ventures'] as const;
const COMPANY_SUFFIX: Record<ResidenceCountry, string> = { GB: 'Ltd', IE: 'Limited', DE: 'GmbH', NL: 'B.V.' };

export function randomCompanyName(rng: Rng, country: ResidenceCountry): string {
  return `${rng.pick(COMPANY_FIRST)} ${rng.pick(COMPANY_SECOND)} ${COMPANY_SUFFIX[country]}`;
}

export function randomCompanyNumber(rng: Rng, country: ResidenceCountry): string {
  switch (country) {
    case 'GB':
      return rng.chance(0.2) ? `SC${rng.digits(6)}` : `${rng.int(10, 16)}${rng.digits(6)}`;
    case 'IE':
      return String(rng.int(500000, 799999));
    case 'DE':
      return `HRB ${rng.int(10000, 250000)}`;
    case 'NL':
      return String(rng.int(10000000, 99999999));
  }
}
