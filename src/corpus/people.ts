/**
 * Invented people and addresses. Every string here must be encodable in WinAnsi (cp1252), because the
 * text-layer PDFs use pdf-lib's standard fonts.
 */
import { addDays, addYears, daysBetween } from './dates.js';
import type { Rng } from './random.js';

export type Sex = 'M' | 'F';
export type ResidenceCountry = 'GB' | 'IE' | 'DE' | 'NL';

export interface Address {
  /** Optional flat / building line, e.g. `Flat 3`. */
  unit?: string;
  houseNumber: string;
  street: string;
  /** `Street`, `Road`, … for English addresses; empty when part of the street name. */
  streetType: string;
  city: string;
  postcode: string;
  country: ResidenceCountry;
}

export interface Person {
  givenNames: string;
  surname: string;
  sex: Sex;
  dateOfBirth: string;
  /** ISO 3166-1 alpha-3. */
  nationality: string;
  placeOfBirth: string;
  address: Address;
}

interface NamePool {
  nationality: string;
  male: readonly string[];
  female: readonly string[];
  surnames: readonly string[];
  birthPlaces: readonly string[];
}

const NAME_POOLS: readonly NamePool[] = [
  { nationality: 'GBR', male: ['Oliver', 'James', 'Harry', 'Thomas', 'Owen', 'Rhys'], female: ['Emily', 'Charlotte', 'Zoë', 'Anne-Marie', 'Hannah', 'Mary-Kate'],
    surnames: ["O'Brien", 'Taylor', 'Davies', 'Evans', 'Wright', 'Hughes', 'Ashworth', 'Pennington'], birthPlaces: ['London', 'Leeds', 'Cardiff', 'Bristol'] },
  { nationality: 'IRL', male: ['Seán', 'Cian', 'Darragh', 'Pádraig', 'Eoin'], female: ['Aoife', 'Niamh', 'Siobhán', 'Órla', 'Ciara'],
    surnames: ["O'Connor", 'Murphy', 'Kelly', 'Walsh', 'Fitzgerald', 'McCarthy', "O'Sullivan"], birthPlaces: ['Dublin', 'Cork', 'Galway'] },
  { nationality: 'DEU', male: ['Jürgen', 'Lukas', 'Jörg', 'Sören', 'Matthias'], female: ['Anna', 'Leonie', 'Käthe', 'Jana', 'Lena-Marie'],
    surnames: ['Müller', 'Schröder', 'Weiß', 'Köhler', 'Hoffmann', 'Schäfer', 'Krüger', 'Groß'], birthPlaces: ['Berlin', 'München', 'Köln', 'Hamburg'] },
  { nationality: 'FRA', male: ['François', 'Jean-Luc', 'Loïc', 'Noël', 'Théo'], female: ['Hélène', 'Chloé', 'Zoë', 'Anne-Marie', 'Céline', 'Renée'],
    surnames: ['Lefèvre', 'Dupont', 'Girard', 'Rousseau', 'Bélanger', 'Lemaître', 'Mercier'], birthPlaces: ['Paris', 'Lyon', 'Nantes', 'Besançon'] },
  { nationality: 'ESP', male: ['José', 'Álvaro', 'Iñigo', 'Andrés', 'Raúl'], female: ['María', 'Lucía', 'Sofía', 'Inés', 'María José'],
    surnames: ['García', 'Núñez', 'Pérez', 'Fernández', 'Ibáñez', 'Gómez', 'Martín'], birthPlaces: ['Madrid', 'Sevilla', 'Málaga', 'Bilbao'] },
  { nationality: 'NLD', male: ['Daan', 'Bram', 'Sem', 'Thijs'], female: ['Sanne', 'Joëlle', 'Fleur', 'Femke'],
    surnames: ['de Vries', 'van Dijk', 'Jansen', 'Bakker', 'Visser', 'van den Berg'], birthPlaces: ['Amsterdam', 'Utrecht', 'Rotterdam'] },
  { nationality: 'ITA', male: ['Giuseppe', 'Niccolò', 'Matteo', 'Luca'], female: ['Chiara', 'Francesca', 'Lucia', 'Giulia'],
    surnames: ['Rossi', 'Bianchi', "D'Angelo", 'Esposito', 'Colombo', 'Ricci'], birthPlaces: ['Roma', 'Milano', 'Torino', 'Napoli'] },
  { nationality: 'SWE', male: ['Björn', 'Sören', 'Måns', 'Erik'], female: ['Åsa', 'Linnéa', 'Märta', 'Ingrid'],
    surnames: ['Andersson', 'Lindström', 'Åberg', 'Sjögren', 'Nyström'], birthPlaces: ['Stockholm', 'Göteborg', 'Malmö'] },
  { nationality: 'PRT', male: ['João', 'Gonçalo', 'Tomás', 'Rui'], female: ['Inês', 'Beatriz', 'Leonor', 'Conceição'],
    surnames: ['Gonçalves', 'Araújo', 'Simões', 'Magalhães', 'Ferreira'], birthPlaces: ['Lisboa', 'Porto', 'Coimbra'] },
  { nationality: 'POL', male: ['Piotr', 'Tomasz', 'Marek', 'Jakub'], female: ['Marta', 'Agnieszka', 'Zofia', 'Ewa'],
    surnames: ['Nowak', 'Wójcik', 'Kowalczyk', 'Kaczmarek', 'Lewandowski'], birthPlaces: ['Kraków', 'Lublin', 'Gdynia'] },
];

/** Nationalities whose citizens most often live in each residence country (the rest are mixed in). */
const LOCAL_NATIONALITY: Record<ResidenceCountry, string> = { GB: 'GBR', IE: 'IRL', DE: 'DEU', NL: 'NLD' };

export const COUNTRY_NAMES: Record<string, string> = {
  GBR: 'United Kingdom', IRL: 'Ireland', DEU: 'Germany', FRA: 'France', ESP: 'Spain', NLD: 'Netherlands',
  ITA: 'Italy', SWE: 'Sweden', PRT: 'Portugal', POL: 'Poland',
};

/** How the issuing state names itself on passports and ID cards. */
export const STATE_TITLES: Record<string, string> = {
  GBR: 'UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND', IRL: 'IRELAND / ÉIRE', DEU: 'BUNDESREPUBLIK DEUTSCHLAND',
  FRA: 'RÉPUBLIQUE FRANÇAISE', ESP: 'REINO DE ESPAÑA', NLD: 'KONINKRIJK DER NEDERLANDEN', ITA: 'REPUBBLICA ITALIANA',
  SWE: 'KONUNGARIKET SVERIGE', PRT: 'REPÚBLICA PORTUGUESA', POL: 'RZECZPOSPOLITA POLSKA',
};

export const RESIDENCE_ALPHA3: Record<ResidenceCountry, string> = { GB: 'GBR', IE: 'IRL', DE: 'DEU', NL: 'NLD' };

interface CityPool {
  city: string;
  postcode: (rng: Rng) => string;
}

const GB_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
function gbPostcode(outward: readonly string[]): (rng: Rng) => string {
  return (rng) => `${rng.pick(outward)} ${rng.int(1, 9)}${GB_INWARD_LETTERS[rng.int(0, 19)]}${GB_INWARD_LETTERS[rng.int(0, 19)]}`;
}
function eircode(routing: readonly string[]): (rng: Rng) => string {
  const chars = 'ACDEFHKNPRTVWXY0123456789';
  return (rng) => `${rng.pick(routing)} ${chars[rng.int(0, 19)]}${rng.int(0, 9)}${chars[rng.int(0, 24)]}${chars[rng.int(0, 24)]}`;
}
function numericPostcode(min: number, max: number): (rng: Rng) => string {
  return (rng) => String(rng.int(min, max)).padStart(5, '0');
}
function dutchPostcode(min: number, max: number): (rng: Rng) => string {
  return (rng) => `${rng.int(min, max)} ${rng.letters(2).replace(/[FIOQUY]/g, 'K')}`;
}

const CITIES: Record<ResidenceCountry, readonly CityPool[]> = {
  GB: [
    { city: 'London', postcode: gbPostcode(['NW1', 'SE15', 'E8', 'N7', 'SW9', 'W12']) },
    { city: 'Manchester', postcode: gbPostcode(['M14', 'M20', 'M4']) },
    { city: 'Leeds', postcode: gbPostcode(['LS6', 'LS8']) },
    { city: 'Bristol', postcode: gbPostcode(['BS7', 'BS3']) },
    { city: 'Edinburgh', postcode: gbPostcode(['EH9', 'EH6']) },
  ],
  IE: [
    { city: 'Dublin', postcode: eircode(['D04', 'D06', 'D08', 'D07']) },
    { city: 'Cork', postcode: eircode(['T12', 'T23']) },
    { city: 'Galway', postcode: eircode(['H91']) },
  ],
  DE: [
    { city: 'Berlin', postcode: numericPostcode(10115, 14199) },
    { city: 'Hamburg', postcode: numericPostcode(20095, 22769) },
    { city: 'München', postcode: numericPostcode(80331, 81929) },
    { city: 'Köln', postcode: numericPostcode(50667, 51149) },
  ],
  NL: [
    { city: 'Amsterdam', postcode: dutchPostcode(1011, 1109) },
    { city: 'Utrecht', postcode: dutchPostcode(3511, 3585) },
    { city: 'Rotterdam', postcode: dutchPostcode(3011, 3089) },
  ],
};

const EN_STREETS = ['Baker', 'Mill', 'Church', 'Victoria', 'Station', 'Park', 'Albert', 'Elm', 'Harbour', 'Castle', 'Chapel', 'Grove', 'Orchard'] as const;
/** Street and Road dominate, since those are the abbreviations the engine tolerates (St, Rd). */
const EN_STREET_TYPES = [['Street', 5], ['Road', 5], ['Avenue', 1], ['Lane', 1], ['Close', 1], ['Terrace', 1]] as const;
const DE_STREETS = ['Lindenstraße', 'Goethestraße', 'Schillerstraße', 'Bahnhofstraße', 'Mühlenweg', 'Königsallee', 'Am Markt', 'Gartenstraße'] as const;
const NL_STREETS = ['Keizersgracht', 'Prinsengracht', 'Oudegracht', 'Wilhelminastraat', 'Kerkstraat', 'Stationsweg', 'Lange Voorhout'] as const;

export function randomAddress(rng: Rng, country: ResidenceCountry): Address {
  const place = rng.pick(CITIES[country]);
  const base = { city: place.city, postcode: place.postcode(rng), country };
  if (country === 'GB' || country === 'IE') {
    const unit = rng.chance(0.2) ? `Flat ${rng.int(1, 12)}${rng.chance(0.3) ? rng.pick(['A', 'B']) : ''}` : undefined;
    return { ...base, ...(unit ? { unit } : {}), houseNumber: String(rng.int(1, 180)), street: rng.pick(EN_STREETS), streetType: rng.weighted(EN_STREET_TYPES) };
  }
  const streets = country === 'DE' ? DE_STREETS : NL_STREETS;
  return { ...base, houseNumber: String(rng.int(1, 140)), street: rng.pick(streets), streetType: '' };
}

export interface AddressStyle {
  /** Street → St, Road → Rd. */
  abbreviate?: boolean;
  uppercase?: boolean;
}

const ABBREVIATIONS: Record<string, string> = { Street: 'St', Road: 'Rd' };

/** The printed lines of an address: [unit], street line, postcode + city in local order. */
export function addressLines(address: Address, style: AddressStyle = {}): string[] {
  const type = style.abbreviate ? ABBREVIATIONS[address.streetType] ?? address.streetType : address.streetType;
  const english = address.country === 'GB' || address.country === 'IE';
  const streetLine = english ? `${address.houseNumber} ${address.street} ${type}` : `${address.street} ${address.houseNumber}`;
  const cityLine = english ? `${address.city} ${address.postcode}` : `${address.postcode} ${address.city}`;
  const lines = [...(address.unit ? [address.unit] : []), streetLine, cityLine];
  return style.uppercase ? lines.map((line) => line.toUpperCase()) : lines;
}

/** One-line address, lines joined with `, ` — the form used in labels and applicant.json. */
export function addressText(address: Address, style: AddressStyle = {}): string {
  return addressLines(address, style).join(', ');
}

export function poolFor(nationality: string): NamePool {
  const pool = NAME_POOLS.find((p) => p.nationality === nationality);
  if (!pool) throw new Error(`no name pool for ${nationality}`);
  return pool;
}

export const NATIONALITIES: readonly string[] = NAME_POOLS.map((pool) => pool.nationality);

export interface PersonOptions {
  asOf: string;
  /** Age range in whole years on asOf. */
  minAge: number;
  maxAge: number;
  country?: ResidenceCountry;
  nationality?: string;
}

export function randomPerson(rng: Rng, options: PersonOptions): Person {
  const country = options.country ?? rng.weighted<ResidenceCountry>([['GB', 45], ['IE', 20], ['DE', 20], ['NL', 15]]);
  const nationality = options.nationality ?? (rng.chance(0.6) ? LOCAL_NATIONALITY[country] : rng.pick(NATIONALITIES));
  const pool = poolFor(nationality);
  const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
  const firstNames = sex === 'F' ? pool.female : pool.male;
  const first = rng.pick(firstNames);
  const middle = rng.chance(0.3) ? rng.pick(firstNames.filter((name) => name !== first)) : undefined;
  // Age in [minAge, maxAge]: born between (asOf - maxAge - 1 years + 1 day) and (asOf - minAge years).
  const latest = addYears(options.asOf, -options.minAge);
  const earliest = addDays(addYears(options.asOf, -options.maxAge - 1), 1);
  const span = daysBetween(earliest, latest);
  return {
    givenNames: middle ? `${first} ${middle}` : first,
    surname: rng.pick(pool.surnames),
    sex,
    dateOfBirth: addDays(earliest, rng.int(0, span)),
    nationality,
    placeOfBirth: rng.pick(pool.birthPlaces),
    address: randomAddress(rng, country),
  };
}

export function fullName(person: Pick<Person, 'givenNames' | 'surname'>): string {
  return `${person.givenNames} ${person.surname}`;
}

export function firstGivenName(person: Pick<Person, 'givenNames'>): string {
  // "María José" is one double given name in Spain; treat the first word as the given name regardless.
  return person.givenNames.split(' ')[0] as string;
}

/** Another surname from the same pool, for declared names that do not match the documents. */
export function otherSurname(rng: Rng, person: Person): string {
  const candidates = poolFor(person.nationality).surnames.filter((name) => name !== person.surname);
  return rng.pick(candidates);
}
