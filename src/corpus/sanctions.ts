/**
 * A synthetic sanctions list in the OpenSanctions `targets.simple.csv` format: invented sanctioned people
 * and companies, plus the corpus applicants on the `sanctions_match` path, written the way lists write
 * names (surname first, upper case, transliterated, with aliases).
 */
import { addDays } from './dates.js';
import { transliterate } from './mrz.js';
import type { Person } from './people.js';
import type { Rng } from './random.js';

export const SANCTIONS_HEADER = [
  'id', 'schema', 'name', 'aliases', 'birth_date', 'countries', 'addresses', 'identifiers', 'sanctions', 'phones', 'emails',
  'dataset', 'first_seen', 'last_seen', 'last_change',
] as const;

export interface SanctionsEntry {
  id: string;
  schema: 'Person' | 'Organization' | 'Company';
  name: string;
  aliases: string[];
  birthDate: string;
  countries: string[];
  addresses: string[];
  identifiers: string[];
  sanctions: string[];
  firstSeen: string;
  lastSeen: string;
  lastChange: string;
}

const DATASET = 'Synthetic KYC Sanctions List';
const PROGRAMMES = ['Synthetic Programme A - asset freeze', 'Synthetic Programme B - travel ban', 'Synthetic Programme C - arms embargo'] as const;

const ALPHA2: Record<string, string> = {
  GBR: 'gb', IRL: 'ie', DEU: 'de', FRA: 'fr', ESP: 'es', NLD: 'nl', ITA: 'it', SWE: 'se', PRT: 'pt', POL: 'pl',
};

/** Invented listed people: [given, surname, alias spellings…, country]. */
const LISTED_PEOPLE: readonly (readonly [string, string, readonly string[], string])[] = [
  ['Viktor Sergeyevich', 'Orlov', ['Виктор Сергеевич Орлов', 'Victor Orloff'], 'ru'],
  ['Dmitri Ivanovich', 'Volkov', ['Дмитрий Иванович Волков', 'Dmitriy Volkov'], 'ru'],
  ['Yelena', 'Sokolova', ['Елена Соколова', 'Elena Sokolova'], 'ru'],
  ['Oleg', 'Morozov', ['Олег Морозов'], 'by'],
  ['Khalid Yusuf', 'Al-Rashid', ['Khaled Youssef al Rashid', 'خالد يوسف الراشد'], 'sy'],
  ['Omar', 'Haddad', ['Umar Hadad', 'عمر حداد'], 'sy'],
  ['Reza', 'Tehrani', ['Rida Tehrani', 'رضا تهرانی'], 'ir'],
  ['Kim Chol', 'Su', ['Kim Ch\'ol-su', '김철수'], 'kp'],
  ['Carlos Eduardo', 'Rivas Mendoza', ['Carlos E. Rivas'], 've'],
  ['Dragan', 'Petrović', ['Dragan Petrovic', 'Драган Петровић'], 'rs'],
  ['Aleksandr', 'Lebedev', ['Александр Лебедев', 'Alexander Lebedeff'], 'ru'],
  ['Samir', 'Nasser', ['Sameer Nasir'], 'lb'],
  ['Irina', 'Kuznetsova', ['Ирина Кузнецова'], 'ru'],
  ['Hassan', 'Mansour', ['Hasan Mansur', 'حسن منصور'], 'ir'],
];

const LISTED_COMPANIES: readonly (readonly [string, readonly string[], string])[] = [
  ['Eastern Star Shipping LLC', ['Vostochnaya Zvezda Shipping'], 'ru'],
  ['Golden Crescent Trading FZE', ['Golden Crescent General Trading'], 'ae'],
  ['Baltic Amber Holdings Ltd', [], 'cy'],
  ['Northern Lights Petroleum JSC', ['Severnoe Siyanie Neft'], 'ru'],
  ['Pyongyang Precision Machinery Co', ['PPM Co'], 'kp'],
];

function timestamps(rng: Rng, asOf: string): Pick<SanctionsEntry, 'firstSeen' | 'lastSeen' | 'lastChange'> {
  const first = addDays(asOf, -rng.int(400, 2500));
  const change = addDays(asOf, -rng.int(30, 390));
  const at = (day: string): string => `${day}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return { firstSeen: at(first), lastChange: at(change), lastSeen: at(addDays(asOf, -1)) };
}

function entryId(rng: Rng): string {
  return `syn-${rng.int(0, 0xffffff).toString(16).padStart(6, '0')}${rng.int(0, 0xffff).toString(16).padStart(4, '0')}`;
}

function birthDate(rng: Rng): string {
  const year = rng.int(1948, 1992);
  if (rng.chance(0.2)) return String(year); // lists often give only the year
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

export function inventedEntries(rng: Rng, asOf: string): SanctionsEntry[] {
  const people = LISTED_PEOPLE.map(([given, surname, aliases, country]) => ({
    id: entryId(rng), schema: 'Person' as const, name: `${given} ${surname}`, aliases: [...aliases], birthDate: birthDate(rng),
    countries: [country], addresses: [], identifiers: rng.chance(0.4) ? [`P${rng.digits(8)}`] : [],
    sanctions: [rng.pick(PROGRAMMES)], ...timestamps(rng, asOf),
  }));
  const companies = LISTED_COMPANIES.map(([name, aliases, country]) => ({
    id: entryId(rng), schema: rng.chance(0.5) ? ('Company' as const) : ('Organization' as const), name, aliases: [...aliases], birthDate: '',
    countries: [country], addresses: [], identifiers: [`REG-${rng.digits(7)}`], sanctions: [rng.pick(PROGRAMMES)], ...timestamps(rng, asOf),
  }));
  return [...people, ...companies];
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s<-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * The listing of a corpus applicant: surname first in upper case and accents transliterated
 * (Müller → MUELLER), with aliases in natural order; the birth date is exact.
 */
export function applicantEntry(rng: Rng, person: Person, asOf: string): SanctionsEntry {
  const mrzStyle = (text: string): string => transliterate(text).replace(/</g, ' ');
  const ascii = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
  const surname = mrzStyle(person.surname);
  const given = titleCase(mrzStyle(person.givenNames));
  const first = person.givenNames.split(' ')[0] as string;
  const name = rng.chance(0.5) ? `${surname} ${given}` : `${surname}, ${given}`;
  const aliases = [`${ascii(person.givenNames)} ${ascii(person.surname)}`, `${ascii(first)} ${ascii(person.surname).toUpperCase()}`];
  return {
    id: entryId(rng), schema: 'Person', name, aliases: [...new Set(aliases)], birthDate: person.dateOfBirth,
    countries: [ALPHA2[person.nationality] ?? person.nationality.toLowerCase()], addresses: [],
    identifiers: [], sanctions: [rng.pick(PROGRAMMES)], ...timestamps(rng, asOf),
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function sanctionsCsv(entries: readonly SanctionsEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.id, e.schema, e.name, e.aliases.join(';'), e.birthDate, e.countries.join(';'), e.addresses.join(';'), e.identifiers.join(';'),
      e.sanctions.join(';'), '', '', DATASET, e.firstSeen, e.lastSeen, e.lastChange,
    ].map(csvField).join(','),
  );
  return [SANCTIONS_HEADER.join(','), ...rows].join('\n') + '\n';
}
