import { describe, expect, it } from 'vitest';

import { parseSanctionsCsv, screenName } from '../../src/domain/sanctions.js';

/** A few rows in the OpenSanctions `targets.simple.csv` layout (invented people). */
const CSV = [
  'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change',
  'NK-aaa111,Person,Aleksandr Petrovich Volkov,"Alexander Volkov;Александр Волков;VOLKOV, Aleksandr",1971-04-02,ru,,,"Sanction A",,,eu_fsf;gb_hmt_sanctions,2022-03-01,2026-10-01,2026-01-01',
  'NK-bbb222,Person,Maria Elena Gomez Ruiz,Maria Gomez,1980,es,,,,,,us_ofac_sdn,2020-01-01,2026-10-01,2025-01-01',
  'NK-ccc333,Organization,Quayside Shipping Holdings,,,cy,,,,,,eu_fsf,2021-01-01,2026-10-01,2025-01-01',
  'NK-ddd444,Person,"O\'Sullivan, Cian",Cian Og OSullivan,1990-07-14;1990-07-15,ie,,,,,,un_sc_sanctions,2021-01-01,2026-10-01,2025-01-01',
  ',Person,Nameless Row,,,,,,,,,x,,,',
].join('\n');

describe('parseSanctionsCsv', () => {
  const entries = parseSanctionsCsv(CSV);

  it('when the CSV is parsed, then rows become entries with split lists and rows without id are skipped', () => {
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual({
      id: 'NK-aaa111',
      schema: 'Person',
      name: 'Aleksandr Petrovich Volkov',
      aliases: ['Alexander Volkov', 'Александр Волков', 'VOLKOV, Aleksandr'],
      birthDates: ['1971-04-02'],
      countries: ['ru'],
      datasets: ['eu_fsf', 'gb_hmt_sanctions'],
      programmes: ['Sanction A'],
    });
    expect(entries[1]?.programmes).toEqual([]);
    expect(entries[3]?.birthDates).toEqual(['1990-07-14', '1990-07-15']);
  });

  it('when the file starts with a byte-order mark, then the header still parses', () => {
    expect(parseSanctionsCsv(`\uFEFF${CSV}`)[0]?.id).toBe('NK-aaa111');
  });
});

describe('screenName', () => {
  const entries = parseSanctionsCsv(CSV);

  it('when the applicant is a transliteration of a listed person, then the entry matches', () => {
    const [match] = screenName('Alexander Volkov', undefined, entries);
    expect(match).toMatchObject({ entryId: 'NK-aaa111', entryName: 'Aleksandr Petrovich Volkov', birthDate: 'unknown' });
    expect(match?.score).toBeGreaterThanOrEqual(0.85);
  });

  it('when the name is written surname-first in capitals, then the alias still matches', () => {
    expect(screenName('VOLKOV ALEKSANDR', undefined, entries)[0]?.entryId).toBe('NK-aaa111');
  });

  it('when only the Cyrillic alias is known, then transliteration finds it', () => {
    expect(screenName('Aleksandr Volkov', undefined, entries)[0]?.matchedName).toBeDefined();
    expect(screenName('Aleksandr Volkov', undefined, [{ ...entries[0]!, name: 'Александр Волков', aliases: [] }])[0]?.score).toBeGreaterThan(0.9);
  });

  it('when the birth date agrees, then the score rises; when it differs, then the match is dropped', () => {
    const base = screenName('Alexandr Wolkow', undefined, entries)[0];
    expect(base?.entryId).toBe('NK-aaa111');
    const same = screenName('Alexandr Wolkow', '1971-04-02', entries)[0];
    expect(same?.score).toBeGreaterThan(base?.score ?? 1);
    expect(same?.birthDate).toBe('match');
    expect(screenName('Alexandr Wolkow', '1985-01-01', entries)).toEqual([]);
  });

  it('when the list has only a birth year, then a date in that year corroborates', () => {
    expect(screenName('Maria Gomez', '1980-06-01', entries)[0]).toMatchObject({ entryId: 'NK-bbb222', birthDate: 'match' });
  });

  it("when the names differ only by apostrophe and a missing middle name, then it matches", () => {
    expect(screenName("Cian O'Sullivan", '1990-07-14', entries)[0]?.entryId).toBe('NK-ddd444');
  });

  it('when nobody resembles the applicant, then there is no match', () => {
    expect(screenName('Emily Taylor', '1990-01-02', entries)).toEqual([]);
  });

  it('when schemas are restricted, then other entries are not screened', () => {
    expect(screenName('Quayside Shipping Holdings', undefined, entries)[0]?.entryId).toBe('NK-ccc333');
    expect(screenName('Quayside Shipping Holdings', undefined, entries, { schemas: ['Person'] })).toEqual([]);
  });

  it('when the threshold is raised, then weaker matches drop out', () => {
    expect(screenName('Alexandr Wolkow', undefined, entries, { threshold: 0.999 })).toEqual([]);
  });
});
