import { describe, expect, test } from 'vitest';
import { mrzSpellingsOfWord, reconcileMrzNames } from '../../src/domain/mrz-names.js';
import { withoutStrayWords } from '../../src/domain/fields/index.js';

describe('MRZ names put right with the printed words', () => {
  test.each([
    // field as OCR left it, the visual zone's text, surname, given names
    ['OSULLIVANKKCIANKK<<<<<<<', "O'SULLIVAN\nGiven name Prenoms\nCIAN", "O'SULLIVAN", 'CIAN'],
    ['OCONNORK<<SIOBHANK<<<<<<<<<<<<E<<<<<S<<', "O'CONNOR\nSIOBHÁN |", "O'CONNOR", 'SIOBHÁN'],
    ['VAN<DEN<BERG<<BRAMK<<<<<<<', 'on ~ VAN DEN BERG\ni | BRAM', 'VAN DEN BERG', 'BRAM'],
    ['SCHAEFER<<JANA<LENACMARIE<<<<<<', 'Schäfer\nJANA LENA-MARIE', 'Schäfer', 'JANA LENA-MARIE'],
    ['KRUEGER<<JANA<XANNA<X<<<<<<<<<<', 'KRUGER\nGiven names / Pre:\nJANA ANNA', 'KRUEGER', 'JANA ANNA'],
  ])('when the field is %s, then the printed words cut and spell it', (field, text, surname, givenNames) => {
    expect(reconcileMrzNames(field, text)).toMatchObject({ surname, givenNames });
  });

  test('when a given name is printed misread ("THIS" for THIJS), then the MRZ letters stay, less the leading ghost K', () => {
    expect(reconcileMrzNames('JANSENK<KTHIJS<<<<<<K<K<KKKKKKKK', 'Surname / Nom\nJANSEN\nTHIS')).toMatchObject({ surname: 'JANSEN', givenNames: 'THIJS', confirmed: 1 });
  });

  test('when the given name is printed without its umlaut, then the transliteration stays and the trailing ghost goes', () => {
    expect(reconcileMrzNames('HOFFMANN<X<JUERGENK<X<<<<<<<<KKKSEEEEEK', 'Hoffmann\n2. Given name\nJurgen')).toMatchObject({ surname: 'Hoffmann', givenNames: 'JUERGEN' });
  });

  test('when a printed word is only the start of an MRZ word ("JAN" in JANSEN), then it is not taken for it', () => {
    expect(reconcileMrzNames('JANSEN<<PIETER<<<<<<<', 'JAN\nPIETER')).toMatchObject({ surname: 'JANSEN', givenNames: 'PIETER' });
  });

  test('when a name ends in a filler look-alike letter (NOVAK, JAMES), then the letter is kept', () => {
    expect(reconcileMrzNames('NOVAK<<JAMES<<<<<<<<<', 'NOVAK\nJAMES')).toMatchObject({ surname: 'NOVAK', givenNames: 'JAMES' });
    expect(reconcileMrzNames('NOVAK<<JAMES<<<<<<<<<', 'Surname NOVAK')).toMatchObject({ surname: 'NOVAK', givenNames: 'JAMES' });
  });

  test('when no printed word confirms the field, then there is nothing to reconcile (the plain MRZ reading stands)', () => {
    expect(reconcileMrzNames('SMITH<<JOHN<<<<<<<<', 'PASSPORT\nUNITED KINGDOM')).toBeUndefined();
    expect(reconcileMrzNames('<<<<<<<<<<', 'SMITH')).toBeUndefined();
  });

  test('when another reading of the MRZ is in the text, then its run-together words are no dictionary', () => {
    const text = "O'CONNOR\nSIOBHAN\nP<IRLOCONNOR<<SIOBHANK<X<<K<K<K<<KKKKK";
    expect(reconcileMrzNames('OCONNORK<<SIOBHANK<K<<<<<<', text)).toMatchObject({ surname: "O'CONNOR", givenNames: 'SIOBHAN' });
  });

  test('when a printed word has an apostrophe, a hyphen or an umlaut, then each MRZ spelling of it is known', () => {
    expect(mrzSpellingsOfWord("O'Brien")).toEqual(expect.arrayContaining(['OBRIEN', 'O<BRIEN']));
    expect(mrzSpellingsOfWord('Lena-Marie')).toEqual(['LENA<MARIE']);
    expect(mrzSpellingsOfWord('Müller')).toEqual(expect.arrayContaining(['MULLER', 'MUELLER']));
    expect(mrzSpellingsOfWord('Groß')).toEqual(expect.arrayContaining(['GROSS']));
  });
});

describe('ghost letters at the ends of a word no printed word spells', () => {
  test('when the printed word has a misread letter of its own, then the MRZ keeps its last letter', () => {
    expect(reconcileMrzNames('SMITH<<NOVAK<<<<<<<<<', 'SMITH\nNOVAR')).toMatchObject({ surname: 'SMITH', givenNames: 'NOVAK' });
  });
});

describe('printed names that agree with the MRZ, without label remains', () => {
  test.each([
    ['Gr. Eoin Darragh', 'EOIN DARRAGH', 'Eoin Darragh'],
    ['Es. JANA LENA-MARIE', 'JANA LENA MARIE', 'JANA LENA-MARIE'],
    ['Jana Lena-Marie', 'JANA LENA MARIE', 'Jana Lena-Marie'],
    ['Anna Maria', 'ANNA', 'Anna Maria'], // a second given name the MRZ lost is no label remain
    ['Jürgen', 'JUERGEN', 'Jürgen'],
  ])('when printed "%s" and the MRZ says %s, then %s stays', (printed, mrz, expected) => {
    expect(withoutStrayWords(printed, mrz)).toBe(expected);
  });
});
