/** Country names, codes and nationality words to ISO 3166 alpha-3. */
import anyAscii from 'any-ascii';

const COUNTRY_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['GBR', ['gb', 'uk', 'united kingdom', 'great britain', 'britain', 'england', 'scotland', 'wales', 'northern ireland', 'british', 'british citizen', 'royaume uni', 'vereinigtes konigreich', 'united kingdom of great britain and northern ireland']],
  ['IRL', ['ie', 'ireland', 'eire', 'irish', 'eireannach', 'irlande', 'irland']],
  ['DEU', ['de', 'd', 'germany', 'deutschland', 'german', 'deutsch', 'allemagne', 'bundesrepublik deutschland', 'alemania', 'germania']],
  ['FRA', ['fr', 'france', 'french', 'francais', 'francaise', 'frankreich', 'republique francaise', 'francia']],
  ['ESP', ['es', 'spain', 'espana', 'spanish', 'espanol', 'espanola', 'espagne', 'spanien', 'reino de espana', 'spagna']],
  ['NLD', ['nl', 'netherlands', 'the netherlands', 'holland', 'nederland', 'dutch', 'nederlandse', 'pays bas', 'niederlande', 'koninkrijk der nederlanden', 'paesi bassi']],
  ['ITA', ['it', 'italy', 'italia', 'italian', 'italiana', 'italiano', 'italie', 'italien', 'repubblica italiana']],
  ['SWE', ['se', 'sweden', 'sverige', 'swedish', 'svensk', 'suede', 'schweden', 'konungariket sverige']],
  ['PRT', ['pt', 'portugal', 'portuguese', 'portuguesa', 'portugues', 'republica portuguesa']],
  ['POL', ['pl', 'poland', 'polska', 'polish', 'polskie', 'polski', 'pologne', 'polen', 'rzeczpospolita polska']],
  ['BEL', ['be', 'belgium', 'belgique', 'belgie', 'belgian', 'belge', 'belgien']],
  ['LUX', ['lu', 'luxembourg', 'luxemburg']],
  ['AUT', ['at', 'austria', 'osterreich', 'austrian', 'autriche']],
  ['CHE', ['ch', 'switzerland', 'schweiz', 'suisse', 'svizzera', 'swiss']],
  ['DNK', ['dk', 'denmark', 'danmark', 'danish']],
  ['NOR', ['no', 'norway', 'norge', 'norwegian']],
  ['FIN', ['fi', 'finland', 'suomi', 'finnish']],
  ['GRC', ['gr', 'greece', 'hellas', 'greek']],
  ['CZE', ['cz', 'czech republic', 'czechia', 'czech']],
  ['ROU', ['ro', 'romania', 'romanian']],
  ['HUN', ['hu', 'hungary', 'magyarorszag', 'hungarian']],
  ['USA', ['us', 'usa', 'united states', 'united states of america', 'american']],
  ['CAN', ['ca', 'canada', 'canadian']],
  ['AUS', ['au', 'australia', 'australian']],
  ['IND', ['in', 'india', 'indian']],
  ['CHN', ['cn', 'china', 'chinese']],
  ['RUS', ['ru', 'russia', 'russian federation', 'russian']],
  ['UKR', ['ua', 'ukraine', 'ukrainian']],
  ['TUR', ['tr', 'turkey', 'turkiye', 'turkish']],
  ['BRA', ['br', 'brazil', 'brasil', 'brazilian']],
  ['MEX', ['mx', 'mexico', 'mexican']],
  ['JPN', ['jp', 'japan', 'japanese']],
  ['NGA', ['ng', 'nigeria', 'nigerian']],
  ['ZAF', ['za', 'south africa', 'south african']],
  ['PAK', ['pk', 'pakistan', 'pakistani']],
  ['IRN', ['ir', 'iran', 'iranian']],
  ['PRK', ['kp', 'north korea', 'democratic peoples republic of korea']],
];

const COUNTRY_LOOKUP: ReadonlyMap<string, string> = new Map(
  COUNTRY_ALIASES.flatMap(([alpha3, aliases]) => [[alpha3.toLowerCase(), alpha3] as const, ...aliases.map((a) => [a, alpha3] as const)]),
);
/** Other ISO alpha-3 codes pass through unchanged. */
const ALPHA3 = /^[A-Z]{3}$/;

/** ISO 3166 alpha-3 for a code (alpha-2/alpha-3, MRZ `D`), a country name or a nationality word. */
export function toAlpha3(text: string): string | undefined {
  const key = anyAscii(text).toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const direct = COUNTRY_LOOKUP.get(key);
  if (direct) return direct;
  const upper = text.trim().toUpperCase();
  if (ALPHA3.test(upper) && key.length === 3) return upper;
  const firstPart = text.split('/')[0];
  if (firstPart !== undefined && firstPart !== text) return toAlpha3(firstPart);
  return undefined;
}
