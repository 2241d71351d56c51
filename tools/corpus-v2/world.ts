/**
 * Corpus v2: the invented world — eight countries, their languages, people, addresses and issuers.
 * Written independently of src/corpus (only the seeded RNG is shared). Nothing here is a real person or
 * company; company names are invented, suffixes and identifier formats follow each country's usage.
 */
import type { Rng } from '../../src/corpus/random.js';

export const COUNTRIES = ['GB', 'FR', 'DE', 'ES', 'IT', 'NL', 'PL', 'PT'] as const;
export type Country = (typeof COUNTRIES)[number];
export type Lang = 'en' | 'fr' | 'de' | 'es' | 'it' | 'nl' | 'pl' | 'pt';

export const LANG: Record<Country, Lang> = { GB: 'en', FR: 'fr', DE: 'de', ES: 'es', IT: 'it', NL: 'nl', PL: 'pl', PT: 'pt' };
/** ISO 3166-1 alpha-3 (labels) and the ICAO code printed in an MRZ (Germany prints `D`). */
export const ALPHA3: Record<Country, string> = { GB: 'GBR', FR: 'FRA', DE: 'DEU', ES: 'ESP', IT: 'ITA', NL: 'NLD', PL: 'POL', PT: 'PRT' };
export function icaoCode(alpha3: string): string {
  return alpha3 === 'DEU' ? 'D' : alpha3;
}

export type Sex = 'M' | 'F';

export interface Address {
  /** Printed lines, e.g. [`Lindenstraße 7`, `10115 Berlin`]. */
  lines: string[];
}

export interface Person {
  givenNames: string;
  surname: string;
  sex: Sex;
  dateOfBirth: string;
  nationality: string;
  placeOfBirth: string;
  country: Country;
  address: Address;
}

interface NameBook {
  male: readonly string[];
  female: readonly string[];
  surnames: readonly string[];
  cities: ReadonlyArray<readonly [city: string, postcode: (rng: Rng) => string]>;
  streets: readonly string[];
  /** Builds the street line from a street name and a number. */
  streetLine: (street: string, number: string) => string;
  /** Builds the city line from postcode and city. */
  cityLine: (postcode: string, city: string) => string;
}

const up = (rng: Rng, n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + rng.int(0, 25))).join('');

const BOOKS: Record<Country, NameBook> = {
  GB: {
    male: ['Alistair', 'Gareth', 'Callum', 'Nathaniel', 'Rory', 'Dominic'],
    female: ['Imogen', 'Rosalind', 'Bethany', 'Harriet', 'Philippa', 'Eleanor Jane'],
    surnames: ['Ashworth', 'Pemberton', 'Whitfield', 'Llewellyn', 'Fairbairn', 'Okonjo', 'Hargreaves'],
    cities: [['Norwich', (r) => `NR${r.int(1, 9)} ${r.int(1, 9)}${up(r, 2)}`], ['Exeter', (r) => `EX${r.int(1, 9)} ${r.int(1, 9)}${up(r, 2)}`], ['Derby', (r) => `DE${r.int(1, 24)} ${r.int(1, 9)}${up(r, 2)}`], ['Swansea', (r) => `SA${r.int(1, 9)} ${r.int(1, 9)}${up(r, 2)}`]],
    streets: ['Quarry Lane', 'Rosebery Avenue', 'Chantry Close', 'Wellington Terrace', 'Marlborough Crescent', 'Orchard Way'],
    streetLine: (s, n) => `${n} ${s}`,
    cityLine: (p, c) => `${c} ${p}`,
  },
  FR: {
    male: ['Étienne', 'Baptiste', 'Rémi', 'Gaëtan', 'Thibault', 'Jean-Luc'],
    female: ['Solène', 'Maëlle', 'Apolline', 'Clémence', 'Inès', 'Marie-Hélène'],
    surnames: ['Lefèvre', 'Garnier', 'Rousseau', 'Boucher', 'Deschamps', 'Marchetti', 'Benali'],
    cities: [['Grenoble', () => '38000'], ['Rennes', () => '35000'], ['Dijon', () => '21000'], ['Nîmes', () => '30900'], ['Tours', () => '37000']],
    streets: ['rue des Tanneurs', 'avenue Jean Jaurès', 'boulevard Carnot', 'rue du Moulin', 'impasse des Glycines', 'place Saint-Michel'],
    streetLine: (s, n) => `${n} ${s}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  DE: {
    male: ['Friedrich', 'Tobias', 'Maximilian', 'Jörn', 'Konstantin', 'Uwe'],
    female: ['Franziska', 'Annegret', 'Swantje', 'Mareike', 'Dörte', 'Johanna'],
    surnames: ['Brandauer', 'Hölzel', 'Wagenknecht', 'Eberhardt', 'Kühnel', 'Steinbach', 'Yilmaz'],
    cities: [['Kassel', (r) => `341${r.int(10, 34)}`], ['Freiburg', (r) => `791${r.int(0, 1)}${r.int(0, 9)}`], ['Rostock', (r) => `180${r.int(55, 69)}`], ['Bamberg', () => '96047'], ['Münster', (r) => `481${r.int(43, 67)}`]],
    streets: ['Ahornweg', 'Kastanienallee', 'Am Mühlbach', 'Schillerstraße', 'Friedhofstraße', 'Bergstraße'],
    streetLine: (s, n) => `${s} ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  ES: {
    male: ['Álvaro', 'Íñigo', 'Sergio', 'Jesús', 'Rodrigo', 'José Manuel'],
    female: ['Ainhoa', 'Montserrat', 'Lucía', 'Begoña', 'Nerea', 'María José'],
    surnames: ['Iglesias', 'Etxeberria', 'Quintana', 'Villalobos', 'Márquez', 'Cifuentes', 'Domínguez'],
    cities: [['Zaragoza', (r) => `500${r.int(1, 18).toString().padStart(2, '0')}`], ['Valladolid', (r) => `470${r.int(1, 15).toString().padStart(2, '0')}`], ['Córdoba', (r) => `140${r.int(1, 14).toString().padStart(2, '0')}`], ['Bilbao', (r) => `480${r.int(1, 15).toString().padStart(2, '0')}`]],
    streets: ['Calle del Carmen', 'Avenida de la Constitución', 'Calle Real', 'Paseo de las Acacias', 'Calle San Vicente', 'Plaza del Pilar'],
    streetLine: (s, n) => `${s} ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  IT: {
    male: ['Lorenzo', 'Niccolò', 'Gianluca', 'Edoardo', 'Pierpaolo', 'Tommaso'],
    female: ['Chiara', 'Benedetta', 'Ludovica', 'Gaia', 'Ilaria', 'Maria Grazia'],
    surnames: ['Bianchini', 'Lombardo', 'Ferraresi', 'Caputo', 'De Santis', 'Mancuso', 'Zanetti'],
    cities: [['Bologna', (r) => `401${r.int(21, 41)}`], ['Verona', (r) => `371${r.int(21, 42)}`], ['Bari', (r) => `701${r.int(21, 31)}`], ['Padova', (r) => `351${r.int(21, 43)}`]],
    streets: ['Via dei Mille', 'Corso Cavour', 'Via San Giorgio', 'Viale Mazzini', 'Piazza della Libertà', 'Via Roma'],
    streetLine: (s, n) => `${s} ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  NL: {
    male: ['Sander', 'Joost', 'Maarten', 'Thijs', 'Bram', 'Wouter'],
    female: ['Femke', 'Anouk', 'Marieke', 'Lieke', 'Sanne', 'Noor'],
    surnames: ['de Graaf', 'van Leeuwen', 'Bosman', 'Vermeulen', 'van der Heijden', 'Kuipers', 'Dijkstra'],
    cities: [['Utrecht', (r) => `35${r.int(11, 85)} ${up(r, 2)}`], ['Groningen', (r) => `97${r.int(11, 47)} ${up(r, 2)}`], ['Eindhoven', (r) => `56${r.int(11, 58)} ${up(r, 2)}`], ['Leiden', (r) => `23${r.int(11, 34)} ${up(r, 2)}`]],
    streets: ['Lindengracht', 'Kerkstraat', 'Van Speijkstraat', 'Oudegracht', 'Molenweg', 'Zonnebloemlaan'],
    streetLine: (s, n) => `${s} ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  PL: {
    male: ['Łukasz', 'Mikołaj', 'Tomasz', 'Grzegorz', 'Paweł', 'Jarosław'],
    female: ['Agnieszka', 'Małgorzata', 'Zofia', 'Katarzyna', 'Joanna', 'Beata'],
    surnames: ['Wróblewski', 'Zieliński', 'Kowalczyk', 'Nowakowski', 'Dąbrowski', 'Szymański', 'Krawczyk'],
    cities: [['Kraków', (r) => `3${r.int(0, 1)}-${r.int(100, 999)}`], ['Wrocław', (r) => `5${r.int(0, 4)}-${r.int(100, 999)}`], ['Poznań', (r) => `6${r.int(0, 1)}-${r.int(100, 999)}`], ['Lublin', (r) => `20-${r.int(100, 999)}`]],
    streets: ['ul. Ogrodowa', 'ul. Kościuszki', 'ul. Słoneczna', 'al. Niepodległości', 'ul. Polna', 'ul. Miodowa'],
    streetLine: (s, n) => `${s} ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
  PT: {
    male: ['João', 'Gonçalo', 'Tiago', 'Rui', 'Duarte', 'António'],
    female: ['Inês', 'Beatriz', 'Leonor', 'Mafalda', 'Catarina', 'Maria João'],
    surnames: ['Carvalho', 'Magalhães', 'Sequeira', 'Figueiredo', 'Gonçalves', 'Barbosa', 'Antunes'],
    cities: [['Porto', (r) => `4${r.int(0, 4)}${r.int(0, 9)}0-${r.int(100, 999)}`], ['Braga', (r) => `47${r.int(0, 1)}0-${r.int(100, 999)}`], ['Coimbra', (r) => `30${r.int(0, 4)}0-${r.int(100, 999)}`], ['Faro', (r) => `800${r.int(0, 5)}-${r.int(100, 999)}`]],
    streets: ['Rua de Santa Catarina', 'Avenida da Liberdade', 'Rua do Almada', 'Travessa do Carmo', 'Rua Direita', 'Largo da Sé'],
    streetLine: (s, n) => `${s}, ${n}`,
    cityLine: (p, c) => `${p} ${c}`,
  },
};

/** Non-EU nationalities for visa holders, with the English names their passports print. */
export const FOREIGN: ReadonlyArray<{ alpha3: string; male: string[]; female: string[]; surnames: string[]; place: string }> = [
  { alpha3: 'BRA', male: ['Thiago', 'Rafael'], female: ['Larissa', 'Fernanda'], surnames: ['Nascimento', 'Albuquerque'], place: 'Recife' },
  { alpha3: 'UKR', male: ['Oleksandr', 'Dmytro'], female: ['Kateryna', 'Oksana'], surnames: ['Kovalenko', 'Bondarenko'], place: 'Kharkiv' },
  { alpha3: 'IND', male: ['Arjun', 'Vikram'], female: ['Priya', 'Ananya'], surnames: ['Raghunathan', 'Deshpande'], place: 'Pune' },
  { alpha3: 'CAN', male: ['Connor', 'Liam'], female: ['Madison', 'Avery'], surnames: ['MacLeod', 'Tremblay'], place: 'Halifax' },
];

export function randomAddress(rng: Rng, country: Country): Address {
  const book = BOOKS[country];
  const [city, postcode] = rng.pick(book.cities);
  const number = String(rng.int(1, 148)) + (country === 'NL' && rng.chance(0.2) ? `-${rng.int(1, 3)}` : '');
  return { lines: [book.streetLine(rng.pick(book.streets), number), book.cityLine(postcode(rng), city)] };
}

export function randomPerson(rng: Rng, country: Country, dateOfBirth: string): Person {
  const book = BOOKS[country];
  const sex: Sex = rng.chance(0.5) ? 'M' : 'F';
  const first = rng.pick(sex === 'M' ? book.male : book.female);
  const middle = rng.chance(0.2) ? ` ${rng.pick(sex === 'M' ? book.male : book.female)}` : '';
  const givenNames = middle.trim() === first ? first : `${first}${middle}`;
  const surname = country === 'ES' && rng.chance(0.6) ? `${rng.pick(book.surnames)} ${rng.pick(book.surnames)}` : rng.pick(book.surnames);
  return {
    givenNames,
    surname: surname.split(' ').filter((w, i, a) => a.indexOf(w) === i).join(' '),
    sex,
    dateOfBirth,
    nationality: ALPHA3[country],
    placeOfBirth: rng.pick(book.cities)[0],
    country,
    address: randomAddress(rng, country),
  };
}

export function foreignPerson(rng: Rng, country: Country, dateOfBirth: string): Person {
  const f = rng.pick(FOREIGN);
  const sex: Sex = rng.chance(0.5) ? 'M' : 'F';
  return {
    givenNames: rng.pick(sex === 'M' ? f.male : f.female), surname: rng.pick(f.surnames), sex, dateOfBirth,
    nationality: f.alpha3, placeOfBirth: f.place, country, address: randomAddress(rng, country),
  };
}

export function otherSurname(rng: Rng, person: Person): string {
  const pool = BOOKS[person.country].surnames.filter((s) => !person.surname.includes(s));
  return rng.pick(pool);
}

// ---------------------------------------------------------------------------------------------
// Issuers

export type IssuerKind = 'utility' | 'bank' | 'employer' | 'shop';

export interface Issuer {
  name: string;
  address: Address;
  vatId: string;
  phone: string;
  web: string;
  bic?: string;
}

const ISSUER_NAMES: Record<Country, Record<IssuerKind, readonly string[]>> = {
  GB: { utility: ['Severnside Power Ltd', 'Brightwater Utilities plc'], bank: ['Harbour & Shire Bank plc', 'Calder Building Society'], employer: ['Pennine Freight Ltd', 'Lomond Analytics Ltd'], shop: ['Kestrel Home Supplies Ltd'] },
  FR: { utility: ['Énergies du Vercors SA', 'Eaux de la Loire SAS'], bank: ['Crédit Ligérien SA', 'Banque du Forez SA'], employer: ['Ateliers Vauclair SARL', 'Transports Morvan SAS'], shop: ['Quincaillerie Dumas SARL'] },
  DE: { utility: ['Stadtwerke Havelland GmbH', 'Energieversorgung Nordhessen AG'], bank: ['Nordmark Bank AG', 'Sparkasse Oberlausitz'], employer: ['Krämer Maschinenbau GmbH & Co. KG', 'Lindner Logistik GmbH'], shop: ['Elektro Vogt GmbH'] },
  ES: { utility: ['Iberluz Comercializadora S.L.', 'Aguas del Ebro S.A.'], bank: ['Banco Meseta S.A.', 'Caja Rural del Duero S.C.C.'], employer: ['Construcciones Tajo S.A.', 'Servicios Cantábricos S.L.'], shop: ['Ferretería Ortega S.L.'] },
  IT: { utility: ['Lumenia Energia S.p.A.', 'Acque Venete S.r.l.'], bank: ['Banca Adriatica Lombarda S.p.A.', 'Credito Emiliano Nord S.p.A.'], employer: ['Officine Brenta S.r.l.', 'Logistica Appennino S.p.A.'], shop: ['Arredamenti Conti S.r.l.'] },
  NL: { utility: ['Polderstroom B.V.', 'Waterbedrijf Veluwe N.V.'], bank: ['Zuiderbank N.V.', 'Grachtenbank N.V.'], employer: ['Van Dijk Installatietechniek B.V.', 'Hoekstra Transport B.V.'], shop: ['Bouwmarkt Visser B.V.'] },
  PL: { utility: ['Wisła Energia Sp. z o.o.', 'Wodociągi Mazowsze S.A.'], bank: ['Bank Mazowiecki S.A.', 'Bank Spółdzielczy w Tarnowie'], employer: ['Przedsiębiorstwo Bałtyk Sp. z o.o.', 'Transbud Śląsk S.A.'], shop: ['Meble Nowak Sp. z o.o.'] },
  PT: { utility: ['Lusoluz Energia, Lda', 'Águas do Douro, S.A.'], bank: ['Banco Atlântico Norte, S.A.', 'Caixa Agrícola do Minho, CRL'], employer: ['Têxteis do Minho, S.A.', 'Metalúrgica Vouga, Lda'], shop: ['Loja Ferreira & Filhos, Lda'] },
};

const VAT: Record<Country, (rng: Rng) => string> = {
  GB: (r) => `GB ${r.digits(3)} ${r.digits(4)} ${r.digits(2)}`,
  FR: (r) => `FR${r.digits(2)} ${r.digits(9)}`,
  DE: (r) => `DE${r.digits(9)}`,
  ES: (r) => `ES${up(r, 1)}${r.digits(8)}`,
  IT: (r) => `IT${r.digits(11)}`,
  NL: (r) => `NL${r.digits(9)}B0${r.int(1, 9)}`,
  PL: (r) => `PL${r.digits(10)}`,
  PT: (r) => `PT${r.digits(9)}`,
};

const PHONE: Record<Country, (rng: Rng) => string> = {
  GB: (r) => `0345 ${r.digits(3)} ${r.digits(4)}`,
  FR: (r) => `09 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  DE: (r) => `0800 ${r.digits(3)} ${r.digits(4)}`,
  ES: (r) => `900 ${r.digits(3)} ${r.digits(3)}`,
  IT: (r) => `800 ${r.digits(3)} ${r.digits(3)}`,
  NL: (r) => `088 ${r.digits(3)} ${r.digits(4)}`,
  PL: (r) => `801 ${r.digits(3)} ${r.digits(3)}`,
  PT: (r) => `808 ${r.digits(3)} ${r.digits(3)}`,
};

export function randomIssuer(rng: Rng, country: Country, kind: IssuerKind): Issuer {
  const name = rng.pick(ISSUER_NAMES[country][kind]);
  const slug = name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '').slice(0, 14);
  return {
    name,
    address: randomAddress(rng, country),
    vatId: VAT[country](rng),
    phone: PHONE[country](rng),
    web: `www.${slug}.${country === 'GB' ? 'co.uk' : country.toLowerCase()}`,
    ...(kind === 'bank' ? { bic: `${up(rng, 4)}${country}${up(rng, 2)}` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// IBANs (ibantools validates; the BBAN shapes follow each country's length)

const BBAN: Record<Country, (rng: Rng) => string> = {
  GB: (r) => `${up(r, 4)}${r.digits(14)}`,
  FR: (r) => r.digits(23),
  DE: (r) => r.digits(18),
  ES: (r) => r.digits(20),
  IT: (r) => `${up(r, 1)}${r.digits(22)}`,
  NL: (r) => `${up(r, 4)}${r.digits(10)}`,
  PL: (r) => r.digits(24),
  PT: (r) => r.digits(21),
};

export { BBAN };
