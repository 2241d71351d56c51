/**
 * Corpus v2: page layouts as lists of drawing operations in millimetres (y grows downwards; text `y`
 * is the baseline). Three layouts per document type; identity documents in each country's language.
 */
import type { Rng } from '../../src/corpus/random.js';
import type { DocSpec, IdDoc, PaperDoc } from './plan.js';
import { addDays } from './plan.js';
import type { Words } from './words.js';
import { WORDS, idDate, money, paperDate } from './words.js';
import type { Country, Lang } from './world.js';
import { LANG } from './world.js';

export type FontRole = 'sans' | 'serif' | 'mono' | 'cond' | 'ocrb';

export type Op =
  | { t: 'text'; x: number; y: number; size: number; text: string; font?: FontRole; bold?: boolean; color?: string; align?: 'left' | 'right' | 'center'; fitWidth?: number }
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string }
  | { t: 'line'; x1: number; y1: number; x2: number; y2: number; color?: string; width?: number }
  | { t: 'portrait'; x: number; y: number; w: number; h: number }
  | { t: 'waves'; x: number; y: number; w: number; h: number; color: string; seed: number };

export interface Page {
  width: number;
  height: number;
  background: string;
  ops: Op[];
}

const text = (x: number, y: number, size: number, value: string, extra: Partial<Extract<Op, { t: 'text' }>> = {}): Op => ({ t: 'text', x, y, size, text: value, ...extra });

// ---------------------------------------------------------------------------------------------
// Identity documents

const PASSPORT_WORD: Record<Lang, string> = { en: 'PASSPORT', fr: 'PASSEPORT', de: 'REISEPASS', es: 'PASAPORTE', it: 'PASSAPORTO', nl: 'PASPOORT', pl: 'PASZPORT', pt: 'PASSAPORTE' };
const CARD_WORD: Record<Lang, string> = { en: 'IDENTITY CARD', fr: "CARTE NATIONALE D'IDENTITÉ", de: 'PERSONALAUSWEIS', es: 'DOCUMENTO NACIONAL DE IDENTIDAD', it: "CARTA D'IDENTITÀ", nl: 'IDENTITEITSKAART', pl: 'DOWÓD OSOBISTY', pt: 'CARTÃO DE CIDADÃO' };
const LICENCE_WORD: Record<Lang, string> = { en: 'DRIVING LICENCE', fr: 'PERMIS DE CONDUIRE', de: 'FÜHRERSCHEIN', es: 'PERMISO DE CONDUCCIÓN', it: 'PATENTE DI GUIDA', nl: 'RIJBEWIJS', pl: 'PRAWO JAZDY', pt: 'CARTA DE CONDUÇÃO' };
const STATE: Record<Country, string> = { GB: 'UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND', FR: 'RÉPUBLIQUE FRANÇAISE', DE: 'BUNDESREPUBLIK DEUTSCHLAND', ES: 'REINO DE ESPAÑA', IT: 'REPUBBLICA ITALIANA', NL: 'KONINKRIJK DER NEDERLANDEN', PL: 'RZECZPOSPOLITA POLSKA', PT: 'REPÚBLICA PORTUGUESA' };
const FOREIGN_STATE: Record<string, string> = { BRA: 'FEDERATIVE REPUBLIC OF BRAZIL', UKR: 'UKRAINE', IND: 'REPUBLIC OF INDIA', CAN: 'CANADA' };
function stateName(doc: IdDoc): string {
  return FOREIGN_STATE[doc.issuingAlpha3] ?? (doc.country === 'GB' ? 'UNITED KINGDOM' : STATE[doc.country]);
}
const SIGN: Record<Country, string> = { GB: 'UK', FR: 'F', DE: 'D', ES: 'E', IT: 'I', NL: 'NL', PL: 'PL', PT: 'P' };

/** Field captions in the national language; passports add English (and French) after a slash. */
const ID_CAPTIONS: Record<Lang, Record<'surname' | 'given' | 'nationality' | 'birth' | 'sex' | 'place' | 'issue' | 'expiry' | 'authority' | 'number', string>> = {
  en: { surname: 'Surname', given: 'Given names', nationality: 'Nationality', birth: 'Date of birth', sex: 'Sex', place: 'Place of birth', issue: 'Date of issue', expiry: 'Date of expiry', authority: 'Authority', number: 'Passport No.' },
  fr: { surname: 'Nom', given: 'Prénoms', nationality: 'Nationalité', birth: 'Date de naissance', sex: 'Sexe', place: 'Lieu de naissance', issue: 'Date de délivrance', expiry: "Date d'expiration", authority: 'Autorité', number: 'N° du document' },
  de: { surname: 'Name', given: 'Vornamen', nationality: 'Staatsangehörigkeit', birth: 'Geburtstag', sex: 'Geschlecht', place: 'Geburtsort', issue: 'Ausstellungsdatum', expiry: 'Gültig bis', authority: 'Behörde', number: 'Pass-Nr.' },
  es: { surname: 'Apellidos', given: 'Nombre', nationality: 'Nacionalidad', birth: 'Fecha de nacimiento', sex: 'Sexo', place: 'Lugar de nacimiento', issue: 'Fecha de expedición', expiry: 'Fecha de caducidad', authority: 'Autoridad', number: 'Nº de pasaporte' },
  it: { surname: 'Cognome', given: 'Nome', nationality: 'Cittadinanza', birth: 'Data di nascita', sex: 'Sesso', place: 'Luogo di nascita', issue: 'Data di rilascio', expiry: 'Data di scadenza', authority: 'Autorità', number: 'N. passaporto' },
  nl: { surname: 'Naam', given: 'Voornamen', nationality: 'Nationaliteit', birth: 'Geboortedatum', sex: 'Geslacht', place: 'Geboorteplaats', issue: 'Datum van afgifte', expiry: 'Geldig tot', authority: 'Instantie', number: 'Documentnummer' },
  pl: { surname: 'Nazwisko', given: 'Imiona', nationality: 'Obywatelstwo', birth: 'Data urodzenia', sex: 'Płeć', place: 'Miejsce urodzenia', issue: 'Data wydania', expiry: 'Data ważności', authority: 'Organ wydający', number: 'Nr paszportu' },
  pt: { surname: 'Apelido', given: 'Nome próprio', nationality: 'Nacionalidade', birth: 'Data de nascimento', sex: 'Sexo', place: 'Local de nascimento', issue: 'Data de emissão', expiry: 'Data de validade', authority: 'Autoridade', number: 'N.º do passaporte' },
};

type Caption = keyof (typeof ID_CAPTIONS)['en'];
function caption(lang: Lang, key: Caption, bilingual: boolean): string {
  const own = ID_CAPTIONS[lang][key];
  return bilingual && lang !== 'en' ? `${own} / ${ID_CAPTIONS.en[key]}` : own;
}

function sexText(doc: IdDoc): string {
  const lang = LANG[doc.country];
  if (lang === 'de') return doc.holder.sex === 'M' ? 'M' : 'F';
  if (lang === 'fr' || lang === 'en') return doc.holder.sex;
  return doc.holder.sex === 'M' ? 'M' : 'F';
}

function mrzOps(lines: readonly string[], x: number, y0: number, width: number, pitch: number): Op[] {
  return lines.map((line, i) => text(x, y0 + i * pitch, pitch * 0.8, line, { font: 'ocrb', fitWidth: width }));
}

function passportPage(doc: IdDoc, rng: Rng): Page {
  const lang = LANG[doc.country];
  const h = doc.holder;
  const d = (iso: string): string => idDate(iso, doc.dateStyle);
  const ops: Op[] = [{ t: 'waves', x: 0, y: 0, w: 125, h: 72, color: rng.pick(['#c9d8ea', '#e6d3c2', '#d3e2cf', '#e4cfe0']), seed: rng.int(1, 1e6) }];
  const layout = doc.layout;
  const code = doc.issuingAlpha3;
  const fields: Array<[Caption, string]> = [
    ['surname', h.surname.toUpperCase()], ['given', h.givenNames.toUpperCase()], ['nationality', layout === 2 ? code : `${code}`],
    ['birth', d(h.dateOfBirth)], ['sex', sexText(doc)], ['place', h.placeOfBirth.toUpperCase()],
    ['issue', d(doc.issueDate)], ['authority', doc.authority.toUpperCase()], ['expiry', d(doc.expiryDate)],
  ];
  if (layout === 0) {
    ops.push(text(62, 7, 3.2, stateName(doc), { font: 'sans', bold: true, align: 'center' }));
    ops.push(text(8, 13, 2.2, `${PASSPORT_WORD[lang]}${lang === 'en' ? '' : ' / PASSPORT'}`, { font: 'sans' }));
    ops.push(text(60, 13, 1.7, `Type / Type  P     Code  ${code}`, { font: 'sans' }));
    ops.push(text(96, 13, 1.7, caption(lang, 'number', true), { font: 'sans' }), text(96, 17.5, 3, doc.documentNumber, { font: 'mono', bold: true, color: '#8a1010' }));
    ops.push({ t: 'portrait', x: 6, y: 18, w: 30, h: 38 });
    let y = 21;
    for (const [key, value] of fields) {
      ops.push(text(41, y, 1.6, caption(lang, key, true), { font: 'sans', color: '#333' }), text(41, y + 3.6, 2.8, value, { font: 'sans', bold: true }));
      y += key === 'birth' || key === 'issue' ? 0 : 6.1;
      if (key === 'birth' || key === 'issue') {
        // Sex / place, authority on the same line further right.
        y += 6.1;
      }
    }
  } else if (layout === 1) {
    ops.push({ t: 'rect', x: 0, y: 0, w: 125, h: 9, fill: '#1d3557' });
    ops.push(text(4, 6.2, 3.4, PASSPORT_WORD[lang], { font: 'serif', bold: true, color: '#ffffff' }), text(121, 6.2, 2.2, stateName(doc), { font: 'serif', color: '#ffffff', align: 'right' }));
    ops.push({ t: 'portrait', x: 89, y: 14, w: 31, h: 39 });
    ops.push(text(89, 59, 1.6, `${ID_CAPTIONS[lang].number}`, { font: 'serif' }), text(89, 63.5, 3.2, doc.documentNumber, { font: 'serif', bold: true }));
    let y = 14;
    let n = 1;
    for (const [key, value] of fields) {
      ops.push(text(5, y, 1.6, `${n}. ${caption(lang, key, false)}${lang === 'en' ? '' : ` / ${ID_CAPTIONS.en[key]}`}${lang === 'fr' || lang === 'en' ? '' : ` / ${ID_CAPTIONS.fr[key]}`}`, { font: 'serif', color: '#444' }));
      ops.push(text(5, y + 3.7, 3, value, { font: 'serif' }));
      y += 6.3;
      n += 1;
    }
  } else {
    ops.push(text(5, 6, 2.6, `${stateName(doc).split(' ').slice(-2).join(' ')}  ·  ${PASSPORT_WORD[lang]}`, { font: 'cond', bold: true }));
    ops.push(text(120, 6, 3, doc.documentNumber, { font: 'cond', bold: true, align: 'right', color: '#1a1a8a' }));
    ops.push({ t: 'portrait', x: 5, y: 30, w: 27, h: 34 });
    let y = 13;
    for (const [key, value] of fields) {
      const x = ['birth', 'sex', 'place', 'issue', 'authority', 'expiry'].includes(key) ? 36 : 5;
      ops.push(text(x, y, 1.9, `${caption(lang, key, true)}:`, { font: 'cond', color: '#333' }), text(x + 43, y, 2.7, value, { font: 'mono', bold: true }));
      y += 5.1;
    }
    ops.push(text(5, 25, 1.8, `${caption(lang, 'number', true)}: ${doc.documentNumber}`, { font: 'cond' }));
  }
  ops.push(...mrzOps(doc.mrz ?? [], 5.5, 78, 114, 6));
  return { width: 125, height: 88, background: '#fbf8f1', ops };
}

function cardFront(doc: IdDoc, rng: Rng, y0: number): Op[] {
  const lang = LANG[doc.country];
  const h = doc.holder;
  const d = (iso: string): string => idDate(iso, doc.dateStyle);
  const ops: Op[] = [
    { t: 'rect', x: 5, y: y0, w: 85.6, h: 54, fill: rng.pick(['#eef3f8', '#f6efe6', '#eef6ee', '#f3eef6']), stroke: '#999' },
    { t: 'waves', x: 5, y: y0 + 8, w: 85.6, h: 46, color: rng.pick(['#d6e1ee', '#eadfd0', '#d8e8d6']), seed: rng.int(1, 1e6) },
  ];
  const isLicence = doc.kind === 'driving_licence';
  const title = isLicence ? LICENCE_WORD[lang] : CARD_WORD[lang];
  if (doc.layout === 0) {
    ops.push(text(47.8, y0 + 4.5, 2.3, stateName(doc), { font: 'sans', bold: true, align: 'center' }), text(47.8, y0 + 8, 2.4, title, { font: 'sans', bold: true, align: 'center', color: '#1d3c78' }));
    ops.push({ t: 'portrait', x: 8, y: y0 + 12, w: 22, h: 29 });
  } else if (doc.layout === 1) {
    ops.push({ t: 'rect', x: 5, y: y0, w: 85.6, h: 8, fill: '#274c77' }, text(8, y0 + 5.6, 2.5, title, { font: 'serif', bold: true, color: '#fff' }));
    ops.push({ t: 'portrait', x: 64, y: y0 + 11, w: 22, h: 29 });
  } else {
    ops.push(text(8, y0 + 5, 2.6, title, { font: 'cond', bold: true }), text(87, y0 + 5, 2.2, stateName(doc).split(' ').slice(-1)[0] ?? '', { font: 'cond', align: 'right' }));
    ops.push({ t: 'portrait', x: 8, y: y0 + 18, w: 20, h: 27 });
  }
  if (isLicence) {
    ops.push({ t: 'rect', x: 7, y: y0 + 44, w: 9, h: 8, fill: '#1e3f9a' }, text(11.5, y0 + 49.8, 3, SIGN[doc.country], { font: 'sans', bold: true, color: '#ffcc00', align: 'center' }));
    const x = doc.layout === 1 ? 8 : 33;
    if (doc.layout === 2) {
      const w = WORDS[lang];
      const rows: Array<[string, string]> = [
        [ID_CAPTIONS[lang].surname, h.surname.toUpperCase()], [ID_CAPTIONS[lang].given, h.givenNames.toUpperCase()],
        [ID_CAPTIONS[lang].birth, `${d(h.dateOfBirth)}  ${h.placeOfBirth}`], [ID_CAPTIONS[lang].issue, d(doc.issueDate)],
        [ID_CAPTIONS[lang].expiry, d(doc.expiryDate)], [`${w.customerNo.split(' ')[0] === 'Customer' ? 'Licence No.' : 'N°'}`, doc.documentNumber],
      ];
      let y = y0 + 12;
      for (const [label, value] of rows) {
        ops.push(text(x, y, 1.5, label, { font: 'cond', color: '#555' }), text(x, y + 3.2, 2.5, value, { font: 'cond', bold: true }));
        y += 5.6;
      }
      ops.push(text(x, y + 1, 2, `9. ${doc.categories ?? 'B'}`, { font: 'cond' }));
      return ops;
    }
    const lines: string[] = [
      `1. ${h.surname.toUpperCase()}`, `2. ${h.givenNames.toUpperCase()}`, `3. ${d(h.dateOfBirth)} ${h.placeOfBirth.toUpperCase()}`,
      `4a. ${d(doc.issueDate)}   4c. ${doc.authority.toUpperCase()}`, `4b. ${d(doc.expiryDate)}`, `5. ${doc.documentNumber}`,
      ...(doc.address ? [`8. ${doc.address.lines.join(', ').toUpperCase()}`] : []), `9. ${doc.categories ?? 'B'}`,
    ];
    let y = y0 + 14;
    for (const line of lines) {
      ops.push(text(x, y, line.startsWith('8.') ? 1.9 : 2.4, line, { font: doc.layout === 0 ? 'sans' : 'serif', bold: !line.startsWith('4') }));
      y += 4.4;
    }
    return ops;
  }
  const rows: Array<[Caption, string]> = [
    ['surname', h.surname.toUpperCase()], ['given', h.givenNames.toUpperCase()], ['birth', d(h.dateOfBirth)], ['sex', sexText(doc)],
    ['nationality', h.nationality], ['issue', d(doc.issueDate)], ['expiry', d(doc.expiryDate)],
  ];
  const x = doc.layout === 1 ? 8 : 33;
  let y = y0 + (doc.layout === 2 ? 10 : 13);
  const numberText = `${doc.layout === 2 ? 'N° ' : ''}${doc.documentNumber}`;
  ops.push(text(doc.layout === 1 ? 86 : 87, y0 + (doc.layout === 1 ? 46 : 52), 2.6, numberText, { font: 'mono', bold: true, align: 'right', color: '#7a0d0d' }));
  for (const [key, value] of rows) {
    if (doc.layout === 2) {
      ops.push(text(x, y, 1.6, `${ID_CAPTIONS[lang][key]}`, { font: 'cond', color: '#444' }), text(x + 22, y, 2.4, value, { font: 'cond', bold: true }));
      y += 4.6;
    } else {
      ops.push(text(x, y, 1.4, caption(lang, key, doc.layout === 0), { font: doc.layout === 0 ? 'sans' : 'serif', color: '#444' }), text(x, y + 3, 2.4, value, { font: doc.layout === 0 ? 'sans' : 'serif', bold: true }));
      y += 5.3;
    }
  }
  return ops;
}

function cardBack(doc: IdDoc, rng: Rng, y0: number): Op[] {
  const ops: Op[] = [{ t: 'rect', x: 5, y: y0, w: 85.6, h: 54, fill: '#f4f4ef', stroke: '#999' }];
  ops.push(text(8, y0 + 6, 1.8, `${ID_CAPTIONS[LANG[doc.country]].authority}: ${doc.authority}`, { font: 'sans' }));
  ops.push(text(8, y0 + 10, 1.8, `${ID_CAPTIONS[LANG[doc.country]].place}: ${doc.holder.placeOfBirth}`, { font: 'sans' }));
  ops.push({ t: 'waves', x: 5, y: y0 + 12, w: 85.6, h: 16, color: '#e2e2d8', seed: rng.int(1, 1e6) });
  ops.push(...mrzOps(doc.mrz ?? [], 8.5, y0 + 37.5, 79, 5.6));
  return ops;
}

function cardPage(doc: IdDoc, rng: Rng): Page {
  if (doc.kind === 'driving_licence') return { width: 95.6, height: 64, background: '#ffffff', ops: cardFront(doc, rng, 5) };
  // Both sides on one scan, front above back (layouts 0, 1) or back above front (layout 2).
  const frontFirst = doc.layout !== 2;
  return { width: 95.6, height: 123, background: '#ffffff', ops: [...cardFront(doc, rng, frontFirst ? 5 : 64), ...cardBack(doc, rng, frontFirst ? 64 : 5)] };
}

function visaPage(doc: IdDoc, rng: Rng): Page {
  const lang = LANG[doc.country];
  const h = doc.holder;
  const d = (iso: string): string => idDate(iso, 'dots');
  const wide = doc.visaKind === 'A';
  const width = wide ? 120 : 105;
  const ops: Op[] = [{ t: 'waves', x: 0, y: 0, w: width, h: 64, color: '#e6dcef', seed: rng.int(1, 1e6) }];
  ops.push(text(4, 7, 3.4, 'VISA', { font: 'sans', bold: true, color: '#3d2b6b' }), text(22, 7, 2, `${doc.issuingAlpha3}  ·  ${lang === 'en' ? 'NATIONAL VISA' : 'SCHENGEN'}`, { font: 'sans' }));
  ops.push(text(width - 4, 7, 2.8, `${doc.issuingAlpha3}${doc.documentNumber}`, { font: 'mono', bold: true, color: '#8a1010', align: 'right' }));
  const rows: Array<[string, string]> = [
    ['VALID FROM / DU', d(doc.issueDate)], ['UNTIL / AU', d(doc.expiryDate)], ['TYPE OF VISA', wide ? 'D' : 'C'], ['NUMBER OF ENTRIES', 'MULT'],
    ['SURNAME, NAME', `${h.surname.toUpperCase()}, ${h.givenNames.toUpperCase()}`], ['REMARKS', '-'],
  ];
  let y = 14;
  for (const [label, value] of rows) {
    ops.push(text(30, y, 1.5, label, { font: 'sans', color: '#555' }), text(30, y + 3.3, 2.5, value, { font: 'sans', bold: true }));
    y += 6.8;
  }
  ops.push({ t: 'portrait', x: 4, y: 13, w: 22, h: 28 });
  ops.push(...mrzOps(doc.mrz ?? [], 4, 60, width - 8, 6.5));
  return { width, height: 74 + (wide ? 6 : 0), background: '#f7f3fb', ops };
}

// ---------------------------------------------------------------------------------------------
// Paper documents

function printedName(doc: PaperDoc): string {
  const natural = `${doc.givenNames} ${doc.surname}`;
  const body = doc.nameStyle === 'upper' ? natural.toUpperCase() : doc.nameStyle === 'surname-first' ? `${doc.surname.toUpperCase()} ${doc.givenNames}` : natural;
  return doc.salutation ? `${doc.salutation} ${body}` : body;
}

function addressBlock(doc: PaperDoc): string[] {
  const lines = doc.address.lines.map((l) => (doc.nameStyle === 'upper' ? l.toUpperCase() : l));
  return [printedName(doc), ...lines];
}

function issuerFooter(doc: PaperDoc, w: Words): string[] {
  const i = doc.issuer;
  return [
    `${i.name} · ${w.office}: ${i.address.lines.join(', ')} · ${w.vat} ${i.vatId}`,
    `${w.service}: ${i.phone} · ${i.web}${i.bic ? ` · BIC ${i.bic}` : ''}`,
  ];
}

function groupedIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

const ADDRESS_WORD: Record<Lang, string> = { en: 'Address', fr: 'Adresse', de: 'Anschrift', es: 'Dirección', it: 'Indirizzo', nl: 'Adres', pl: 'Adres', pt: 'Morada' };

const COLORS = ['#0b6e4f', '#7b2d26', '#1f4e79', '#6a4c93', '#b5651d', '#2a6f97'];

interface Frame {
  ops: Op[];
  /** First free y for the body. */
  bodyTop: number;
}

function frame(doc: PaperDoc, rng: Rng, title: string, info: Array<[string, string]>): Frame {
  const w = WORDS[doc.lang];
  const color = rng.pick(COLORS);
  const ops: Op[] = [];
  const i = doc.issuer;
  const addressee = doc.kind === 'blank_form' ? [] : addressBlock(doc);
  if (doc.layout === 0) {
    // Letterhead left, window left (return line above it), info box right.
    ops.push({ t: 'rect', x: 20, y: 12, w: 12, h: 12, fill: color }, text(36, 20, 6, i.name, { font: 'sans', bold: true, color }));
    ops.push(text(36, 25, 2.6, i.address.lines.join(' · '), { font: 'sans', color: '#555' }));
    ops.push(text(22, 48, 2.2, `${i.name}, ${i.address.lines.join(', ')}`, { font: 'sans', color: '#666' }), { t: 'line', x1: 22, y1: 49.5, x2: 100, y2: 49.5, color: '#999', width: 0.2 });
    addressee.forEach((line, k) => ops.push(text(22, 56 + k * 5, 3.6, line, { font: 'sans' })));
    info.forEach(([label, value], k) => {
      ops.push(text(125, 50 + k * 5.5, 2.8, label, { font: 'sans', color: '#444' }), text(190, 50 + k * 5.5, 2.8, value, { font: 'sans', bold: true, align: 'right' }));
    });
    ops.push(text(20, 96, 5, title, { font: 'sans', bold: true }));
  } else if (doc.layout === 1) {
    // Letterhead centred, info left, window right with the addressee's role word above it.
    ops.push(text(105, 18, 6.5, i.name, { font: 'serif', bold: true, align: 'center', color }));
    ops.push(text(105, 24, 2.8, `${i.address.lines.join(' – ')} – ${i.web}`, { font: 'serif', align: 'center', color: '#555' }));
    ops.push({ t: 'line', x1: 20, y1: 28, x2: 190, y2: 28, color, width: 0.6 });
    info.forEach(([label, value], k) => ops.push(text(20, 42 + k * 5.5, 3, `${label} : ${value}`, { font: 'serif' })));
    if (addressee.length > 0) ops.push(text(115, 50, 2.5, `${rng.pick(w.addressee)}`.toUpperCase(), { font: 'serif', color: '#777' }));
    addressee.forEach((line, k) => ops.push(text(115, 57 + k * 5.2, 3.7, line, { font: 'serif' })));
    ops.push(text(20, 100, 5.2, title, { font: 'serif', bold: true, color }));
  } else {
    // Band header, labelled blocks (no window), issuer contact at the right.
    ops.push({ t: 'rect', x: 0, y: 0, w: 210, h: 26, fill: color }, text(18, 16, 7, i.name, { font: 'cond', bold: true, color: '#ffffff' }));
    ops.push(text(192, 12, 2.8, `${w.service}`, { font: 'cond', color: '#ffffff', align: 'right' }), text(192, 17, 3.2, i.phone, { font: 'cond', bold: true, color: '#ffffff', align: 'right' }));
    ops.push(text(18, 40, 5, title, { font: 'cond', bold: true }));
    if (addressee.length > 0) {
      ops.push(text(18, 52, 2.8, `${rng.pick(w.addressee)}:`, { font: 'cond', color: '#555' }), text(18, 57.5, 3.6, addressee[0] ?? '', { font: 'cond', bold: true }));
      ops.push(text(18, 66, 2.8, `${doc.kind === 'utility_bill' ? w.supplyAddress : ADDRESS_WORD[doc.lang]}:`, { font: 'cond', color: '#555' }));
      addressee.slice(1).forEach((line, k) => ops.push(text(18, 71.5 + k * 5, 3.6, line, { font: 'cond' })));
    }
    info.forEach(([label, value], k) => ops.push(text(120, 52 + k * 6, 2.8, `${label}`, { font: 'cond', color: '#555' }), text(192, 52 + k * 6, 3.2, value, { font: 'cond', bold: true, align: 'right' })));
  }
  const footer = issuerFooter(doc, w);
  ops.push({ t: 'line', x1: 20, y1: 276, x2: 190, y2: 276, color: '#aaa', width: 0.2 });
  footer.forEach((line, k) => ops.push(text(105, 281 + k * 4, 2.3, line, { font: doc.layout === 1 ? 'serif' : 'sans', align: 'center', color: '#555' })));
  return { ops, bodyTop: doc.layout === 2 ? 90 : 110 };
}

function table(x: number, y: number, rows: string[][], widths: number[], font: FontRole, size = 3): Op[] {
  const ops: Op[] = [];
  rows.forEach((row, r) => {
    let cx = x;
    row.forEach((cell, c) => {
      const w = widths[c] ?? 30;
      const isLast = c === row.length - 1;
      ops.push(text(isLast ? cx + w : cx, y + r * (size + 2.4), size, cell, { font, bold: r === 0, align: isLast ? 'right' : 'left' }));
      cx += w;
    });
    if (r === 0) ops.push({ t: 'line', x1: x, y1: y + 1.2, x2: x + widths.reduce((a, b) => a + b, 0), y2: y + 1.2, color: '#888', width: 0.25 });
  });
  return ops;
}

const COUNTERPARTIES: Record<Lang, string[]> = {
  en: ['Card payment TESCO STORES', 'Direct debit COUNCIL TAX', 'Transfer from J SMITH', 'Salary NORTHGATE LTD', 'ATM withdrawal'],
  fr: ['Paiement CB CARREFOUR', 'Prélèvement SFR', 'Virement reçu M. DUPONT', 'Salaire SARL LAMBERT', 'Retrait DAB'],
  de: ['Kartenzahlung EDEKA', 'Lastschrift Telekom', 'Gutschrift Müller', 'Lohn/Gehalt Weber GmbH', 'Bargeldauszahlung'],
  es: ['Compra tarjeta MERCADONA', 'Recibo MOVISTAR', 'Transferencia recibida', 'Nómina TALLERES SA', 'Reintegro cajero'],
  it: ['Pagamento POS ESSELUNGA', 'Addebito SDD TIM', 'Bonifico ricevuto', 'Stipendio ROSSI SRL', 'Prelievo Bancomat'],
  nl: ['Betaalautomaat ALBERT HEIJN', 'Incasso KPN', 'Overboeking ontvangen', 'Salaris JANSEN BV', 'Geldopname'],
  pl: ['Płatność kartą BIEDRONKA', 'Polecenie zapłaty ORANGE', 'Przelew przychodzący', 'Wynagrodzenie ABC SP Z O O', 'Wypłata z bankomatu'],
  pt: ['Compra CONTINENTE', 'Débito direto MEO', 'Transferência recebida', 'Vencimento SONAE SA', 'Levantamento MB'],
};

function paperPage(doc: PaperDoc, rng: Rng): Page {
  const w = WORDS[doc.lang];
  const date = paperDate(doc.documentDate, doc.lang, doc.dateStyle);
  const cur = doc.lang === 'en' ? 'GBP' : doc.lang === 'pl' ? 'PLN' : 'EUR';
  const m = (n: number): string => money(n, doc.lang, cur);
  const font: FontRole = doc.layout === 1 ? 'serif' : doc.layout === 2 ? 'cond' : 'sans';
  const short = (iso: string): string => paperDate(iso, doc.lang, 'numeric');
  let f: Frame;
  const body: Op[] = [];
  switch (doc.kind) {
    case 'utility_bill': {
      const start = addDays(doc.documentDate, -rng.int(33, 95));
      const end = addDays(doc.documentDate, -rng.int(2, 6));
      f = frame(doc, rng, rng.pick(w.billTitle), [[w.billDate, date], [w.customerNo, doc.reference], [w.period, `${short(start)} – ${short(end)}`]]);
      const usage = rng.int(120, 1400);
      const price = rng.float(0.12, 0.38);
      const standing = rng.float(8, 25);
      const net = usage * price + standing;
      const vat = net * 0.2;
      body.push(...table(20, f.bodyTop, [
        [w.description, w.consumption, w.amount],
        [`${w.consumption} ${short(start)} – ${short(end)}`, `${usage} kWh`, m(usage * price)],
        ['Standing charge / abonnement', '', m(standing)],
        [w.vat.split(' ')[0] ?? 'VAT', '', m(vat)],
        [w.amountDue, '', m(net + vat)],
      ], [95, 40, 35], font));
      body.push(text(20, f.bodyTop + 40, 3, `${w.dueDate}: ${paperDate(addDays(doc.documentDate, 14), doc.lang, doc.dateStyle)}`, { font }));
      break;
    }
    case 'bank_statement': {
      f = frame(doc, rng, rng.pick(w.statementTitle), [[w.statementDate, date], ['IBAN', groupedIban(doc.iban ?? '')], [w.page, '1 / 1']]);
      let balance = rng.float(200, 6000);
      const rows: string[][] = [['', w.description, w.amount]];
      rows.push(['', w.openingBalance, m(balance)]);
      for (let k = 0; k < 6; k++) {
        const amount = rng.chance(0.3) ? rng.float(50, 2500) : -rng.float(3, 300);
        balance += amount;
        rows.push([short(addDays(doc.documentDate, -28 + k * 4)), rng.pick(COUNTERPARTIES[doc.lang]), m(amount)]);
      }
      rows.push(['', w.closingBalance, m(balance)]);
      body.push(text(20, f.bodyTop - 4, 3, `${w.accountHolder}: ${printedName(doc)}   ·   BIC ${doc.issuer.bic ?? ''}`, { font }));
      body.push(...table(20, f.bodyTop + 4, rows, [30, 100, 40], font, 2.8));
      break;
    }
    case 'payslip': {
      f = frame(doc, rng, `${rng.pick(w.payslipTitle)} ${w.months[Number(doc.documentDate.slice(5, 7)) - 1]} ${doc.documentDate.slice(0, 4)}`, [[w.payDate, date], [w.employee, doc.reference], [w.employer, doc.issuer.vatId]]);
      const gross = rng.float(1800, 5200);
      const tax = gross * rng.float(0.08, 0.22);
      const social = gross * rng.float(0.07, 0.2);
      body.push(...table(20, f.bodyTop, [
        [w.description, '', w.amount], [w.gross, '', m(gross)], [w.tax, '', m(-tax)], [w.social, '', m(-social)], [w.net, '', m(gross - tax - social)],
      ], [95, 40, 35], font));
      break;
    }
    case 'invoice': {
      f = frame(doc, rng, `${w.invoiceTitle} ${doc.reference}`, [[w.invoiceDate, date], [w.customerNo, doc.reference.slice(0, 6)]]);
      const items = [['Shelving unit', rng.float(40, 300)], ['Delivery', rng.float(5, 40)], ['Assembly', rng.float(20, 90)]] as const;
      const net = items.reduce((s, [, a]) => s + a, 0);
      body.push(...table(20, f.bodyTop, [[w.description, '', w.amount], ...items.map(([d, a]) => [d, '1', m(a)]), [w.vat.split(' ')[0] ?? 'VAT', '', m(net * 0.2)], [w.total, '', m(net * 1.2)]], [95, 40, 35], font));
      break;
    }
    case 'bank_details': {
      f = frame(doc, rng, w.bankDetailsTitle, [[w.invoiceDate.split(' ')[0] ?? 'Date', date]]);
      body.push(text(20, f.bodyTop, 3.2, `${w.accountHolder}: ${printedName(doc)}`, { font }));
      body.push(text(20, f.bodyTop + 8, 3.6, `IBAN  ${groupedIban(doc.iban ?? '')}`, { font: 'mono', bold: true }));
      body.push(text(20, f.bodyTop + 15, 3.6, `BIC   ${doc.issuer.bic ?? ''}`, { font: 'mono', bold: true }));
      break;
    }
    case 'blank_form': {
      const c = ID_CAPTIONS[doc.lang];
      f = { ops: [text(105, 25, 6, `${doc.issuer.name}`, { font, bold: true, align: 'center' }), text(105, 35, 4.5, doc.lang === 'en' ? 'Application form' : `${w.invoiceTitle.split(' ')[0] === 'Facture' ? 'Formulaire de demande' : 'Formular / Form'}`, { font, align: 'center' })], bodyTop: 55 };
      const labels = [c.surname, c.given, c.birth, c.place, c.nationality, `${PASSPORT_WORD[doc.lang]} – ${c.number}`, `${w.supplyAddress} 1`, `${w.supplyAddress} 2`, w.customerNo, w.accountHolder, 'IBAN'];
      labels.forEach((label, k) => {
        body.push(text(20, f.bodyTop + k * 12, 3.2, `${label}:`, { font }), { t: 'line', x1: 75, y1: f.bodyTop + k * 12 + 0.8, x2: 190, y2: f.bodyTop + k * 12 + 0.8, color: '#333', width: 0.2 });
      });
      body.push(text(20, 270, 2.6, `${w.page} 1/1 · ${doc.issuer.web}`, { font, color: '#666' }));
      break;
    }
  }
  return { width: 210, height: 297, background: '#ffffff', ops: [...f.ops, ...body] };
}

export function pageFor(doc: DocSpec, rng: Rng): Page {
  if (doc.family === 'paper') return paperPage(doc, rng);
  switch (doc.kind) {
    case 'passport': return passportPage(doc, rng);
    case 'visa': return visaPage(doc, rng);
    default: return cardPage(doc, rng);
  }
}
