/**
 * Identity-document layouts in millimetres: passport data page (TD3, 125×88), ID card front and back
 * (TD1, 85.6×54 each, back below front) and EU-style driving licence (numbered fields, no MRZ).
 */
import { formatIdDate } from './dates.js';
import { guilloche, portrait, signature } from './decor.js';
import type { TextStyle } from './layout.js';
import { PageBuilder } from './layout.js';
import type { PageSpec } from './layout.js';
import { buildTd1, buildTd3 } from './mrz.js';
import type { MrzPerson } from './mrz.js';
import { addressLines, COUNTRY_NAMES, STATE_TITLES } from './people.js';
import type { Rng } from './random.js';
import type { DrivingLicenceSpec, IdCardSpec, IdentityContent, PassportSpec } from './specs.js';

const CARD_W = 85.6;
const CARD_H = 54;
/** OCR-B at 10 characters per inch. */
const MRZ_PITCH = 2.54;

const NATIONALITY_WORDS: Record<string, string> = {
  GBR: 'BRITISH CITIZEN', IRL: 'IRISH / ÉIREANNACH', DEU: 'DEUTSCH', FRA: 'FRANÇAISE', ESP: 'ESPAÑOLA', NLD: 'NEDERLANDSE',
  ITA: 'ITALIANA', SWE: 'SVENSK', PRT: 'PORTUGUESA', POL: 'POLSKIE',
};

function mrzPerson(doc: IdentityContent & { breakCheck?: MrzPerson['breakCheck'] }): MrzPerson {
  return {
    surname: doc.surname, givenNames: doc.givenNames, documentNumber: doc.documentNumber, nationality: doc.nationality,
    issuingState: doc.issuingCountry, dateOfBirth: doc.dateOfBirth, expiryDate: doc.expiryDate, sex: doc.sex,
    ...(doc.breakCheck ? { breakCheck: doc.breakCheck } : {}),
  };
}

export function passportMrz(doc: PassportSpec): [string, string] {
  return buildTd3(mrzPerson(doc));
}

export function idCardMrz(doc: IdCardSpec): [string, string, string] {
  return buildTd1(mrzPerson(doc));
}

const LABEL: TextStyle = { size: 1.45, color: '#4a4a5a', bold: false };
const VALUE: TextStyle = { size: 2.6, color: '#111111', bold: true };

interface Field {
  label: string;
  value: string;
  x: number;
  y: number;
}

function fields(page: PageBuilder, list: readonly Field[], value: TextStyle = VALUE, label: TextStyle = LABEL): void {
  for (const field of list) {
    page.text(field.x, field.y, field.label, label);
    page.text(field.x, field.y + (value.size ?? 2.6) + 0.6, field.value, value);
  }
}

function mrzLines(page: PageBuilder, lines: readonly string[], x: number, firstBaseline: number, step: number): void {
  lines.forEach((line, i) => page.text(x, firstBaseline + i * step, line, { family: 'ocrb', size: 3.2, bold: false, color: '#101010', fitWidth: line.length * MRZ_PITCH - 0.4 }));
}

/** Passport data page. Template 0: bilingual labels, upper-case values; 1: English labels, numbered order. */
export function passportPage(doc: PassportSpec, rng: Rng): PageSpec {
  const page = new PageBuilder(125, 88, { size: 2.4, family: 'sans', bold: false, color: '#111111', align: 'left' }, doc.template === 0 ? '#f1ece0' : '#e9eef0');
  page.add(guilloche(rng, 0, 0, 125, 72, doc.template === 0 ? '#e6d3d8' : '#cfe0d8'));
  page.text(62.5, 6, STATE_TITLES[doc.issuingCountry] ?? doc.issuingCountry, { size: 2.5, bold: true, align: 'center', color: '#2b2b55' });
  page.text(62.5, 10.5, doc.template === 0 ? 'PASSPORT / PASSEPORT' : 'PASSPORT', { size: 2.3, align: 'center', color: '#2b2b55' });
  page.add(portrait(rng, 5, 16, 32, 41));
  page.add(signature(rng, 6, 60, 30, 8));
  const date = (iso: string): string => formatIdDate(iso, doc.dateStyle);
  const upper = doc.template === 0;
  const name = (text: string): string => (upper ? text.toUpperCase() : text);
  const labels = doc.template === 0
    ? { type: 'Type / Type', code: 'Code / Code', no: 'Passport No. / N° du passeport', surname: 'Surname / Nom', given: 'Given names / Prénoms',
        nationality: 'Nationality / Nationalité', birth: 'Date of birth / Date de naissance', sex: 'Sex / Sexe', place: 'Place of birth / Lieu de naissance',
        issue: 'Date of issue / Date de délivrance', authority: 'Authority / Autorité', expiry: "Date of expiry / Date d'expiration" }
    : { type: 'Type', code: 'Country code', no: 'Passport No.', surname: '1. Surname', given: '2. Given names', nationality: '3. Nationality',
        birth: '4. Date of birth', sex: '5. Sex', place: '6. Place of birth', issue: '7. Date of issue', authority: '8. Authority', expiry: '9. Date of expiry' };
  fields(page, [
    { label: labels.type, value: 'P', x: 41, y: 15 },
    { label: labels.code, value: doc.issuingCountry, x: 58, y: 15 },
    { label: labels.no, value: doc.documentNumber, x: 84, y: 15 },
    { label: labels.surname, value: name(doc.surname), x: 41, y: 22.5 },
    { label: labels.given, value: name(doc.givenNames), x: 41, y: 30 },
    { label: labels.nationality, value: NATIONALITY_WORDS[doc.nationality] ?? doc.nationality, x: 41, y: 37.5 },
    { label: labels.birth, value: date(doc.dateOfBirth), x: 41, y: 45 },
    { label: labels.sex, value: doc.sex, x: 95, y: 45 },
    { label: labels.place, value: name(doc.placeOfBirth), x: 41, y: 52.5 },
    { label: labels.issue, value: date(doc.issueDate), x: 41, y: 60 },
    { label: labels.authority, value: doc.authority, x: 84, y: 60 },
    { label: labels.expiry, value: date(doc.expiryDate), x: 41, y: 67.5 },
  ]);
  page.rect(0, 73.5, 125, 14.5, { fill: doc.template === 0 ? '#f7f4ec' : '#f3f6f7' });
  mrzLines(page, passportMrz(doc), 6, 79.5, 5.8);
  return page.build();
}

/** ID card, front above back, on a transparent sheet so photos show the table between them. */
export function idCardPage(doc: IdCardSpec, rng: Rng): PageSpec {
  const gap = 6;
  const page = new PageBuilder(CARD_W, CARD_H * 2 + gap, { size: 2, family: 'sans', bold: false, color: '#111111', align: 'left' }, 'transparent');
  const tint = doc.template === 0 ? '#e3ecf3' : '#efe8f3';
  const label: TextStyle = { size: 1.25, color: '#4a4a5a' };
  const value: TextStyle = { size: 2.15, bold: true };
  const date = (iso: string): string => formatIdDate(iso, doc.dateStyle);
  // front
  page.rect(0, 0, CARD_W, CARD_H, { fill: tint });
  page.add(guilloche(rng, 0, 0, CARD_W, CARD_H, doc.template === 0 ? '#c9d9e6' : '#ddd0e6'));
  page.text(CARD_W / 2, 4.5, STATE_TITLES[doc.issuingCountry] ?? doc.issuingCountry, { size: 2, bold: true, align: 'center', color: '#1e2f5a' });
  page.text(CARD_W / 2, 8, doc.template === 0 ? "IDENTITY CARD / CARTE D'IDENTITÉ" : 'NATIONAL IDENTITY CARD', { size: 1.8, align: 'center', color: '#1e2f5a' });
  page.add(portrait(rng, 3.5, 11, 24, 31));
  page.add(signature(rng, 4, 44, 22, 6, 0.2));
  fields(page, [
    { label: 'Surname / Nom', value: doc.surname.toUpperCase(), x: 31, y: 12 },
    { label: 'Given names / Prénoms', value: doc.givenNames.toUpperCase(), x: 31, y: 18 },
    { label: 'Sex / Sexe', value: doc.sex, x: 31, y: 24 },
    { label: 'Nationality / Nationalité', value: doc.nationality, x: 48, y: 24 },
    { label: 'Date of birth / Date de naissance', value: date(doc.dateOfBirth), x: 31, y: 30 },
    { label: 'Document No. / N° du document', value: doc.documentNumber, x: 31, y: 36 },
    { label: 'Date of expiry / Date d\'expiration', value: date(doc.expiryDate), x: 31, y: 42 },
  ], value, label);
  // back
  const top = CARD_H + gap;
  page.rect(0, top, CARD_W, CARD_H, { fill: tint });
  page.add(guilloche(rng, 0, top, CARD_W, 30, doc.template === 0 ? '#c9d9e6' : '#ddd0e6'));
  fields(page, [
    { label: 'Place of birth / Lieu de naissance', value: doc.placeOfBirth.toUpperCase(), x: 4, y: top + 4 },
    { label: 'Date of issue / Date de délivrance', value: date(doc.issueDate), x: 4, y: top + 10.5 },
    { label: 'Authority / Autorité', value: doc.authority, x: 4, y: top + 17 },
  ], value, label);
  page.rect(0, top + 31, CARD_W, CARD_H - 31, { fill: doc.template === 0 ? '#edf2f6' : '#f3eef6' });
  mrzLines(page, idCardMrz(doc), 4.6, top + 38, 6.2);
  return page.build();
}

const LICENCE_SIGNS: Record<string, string> = { GBR: 'UK', IRL: 'IRL', DEU: 'D', NLD: 'NL' };
const LICENCE_TITLES: Record<string, string> = {
  GBR: 'DRIVING LICENCE', IRL: 'CEADÚNAS TIOMÁNA / DRIVING LICENCE', DEU: 'FÜHRERSCHEIN / DRIVING LICENCE', NLD: 'RIJBEWIJS / DRIVING LICENCE',
};

/** EU-style driving licence front: numbered fields 1–9, flag band with the distinguishing sign. */
export function drivingLicencePage(doc: DrivingLicenceSpec, rng: Rng): PageSpec {
  const page = new PageBuilder(CARD_W, CARD_H, { size: 2.2, family: 'sans', bold: true, color: '#111111', align: 'left' }, doc.template === 0 ? '#f5dde3' : '#e6eef5');
  page.add(guilloche(rng, 0, 0, CARD_W, CARD_H, doc.template === 0 ? '#ecc5cf' : '#ccdbe8'));
  page.rect(0, 0, 9.5, 15, { fill: '#1f3d99' });
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    page.rect(4.75 + Math.cos(a) * 3 - 0.3, 5.5 + Math.sin(a) * 3 - 0.3, 0.6, 0.6, { fill: '#ffcc00' });
  }
  page.text(4.75, 13.2, LICENCE_SIGNS[doc.issuingCountry] ?? doc.issuingCountry, { size: 2.2, color: '#ffffff', align: 'center' });
  page.text(12, 5, LICENCE_TITLES[doc.issuingCountry] ?? 'DRIVING LICENCE', { size: 2.3, color: '#1f3d99' });
  page.text(12, 8.5, (COUNTRY_NAMES[doc.issuingCountry] ?? doc.issuingCountry).toUpperCase(), { size: 1.8, bold: false, color: '#1f3d99' });
  page.add(portrait(rng, 3, 16.5, 21, 27));
  page.add(signature(rng, 4, 45, 19, 5, 0.2));
  page.text(2.5, 47, '7.', { size: 1.6, bold: false });
  const upper = doc.template === 0;
  const name = (text: string): string => (upper ? text.toUpperCase() : text);
  const date = (iso: string): string => formatIdDate(iso, 'dotted');
  const x = 27;
  const numbered = (n: string, y: number, text: string, at = x): void => {
    page.text(at, y, n, { size: 1.6, bold: false, color: '#333333' });
    page.text(at + 3.6, y, text);
  };
  numbered('1.', 14, name(doc.surname));
  numbered('2.', 18.5, name(doc.givenNames));
  numbered('3.', 23, `${date(doc.dateOfBirth)} ${name(doc.placeOfBirth)}`);
  numbered('4a.', 27.5, date(doc.issueDate));
  numbered('4c.', 27.5, doc.authority, x + 26);
  numbered('4b.', 32, date(doc.expiryDate));
  numbered('5.', 36.5, doc.documentNumber);
  const lines = addressLines(doc.address, doc.addressStyle);
  numbered('8.', 41, lines[0] ?? '');
  lines.slice(1).forEach((line, i) => page.text(x + 3.6, 41 + (i + 1) * 3.8, line, { size: 2 }));
  page.text(2.5, 53, `9. ${doc.categories}`, { size: 1.7, bold: false });
  return page.build();
}
