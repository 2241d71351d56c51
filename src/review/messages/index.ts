/**
 * The message catalogues by language. To add one: copy en.ts to e.g. de.ts, translate the values
 * (keep the keys: they are the codes), and list it here. `messagesFor` picks the best match for a
 * requested language (`de-CH` → `de`) and falls back to English.
 */
import type { MessageCatalogue } from './catalogue.js';
import { en } from './en.js';

export * from './catalogue.js';
export { en };

export const CATALOGUES: Readonly<Record<string, MessageCatalogue>> = { en };

export const DEFAULT_LANGUAGE = 'en';

export function messagesFor(language: string | undefined, catalogues: Readonly<Record<string, MessageCatalogue>> = CATALOGUES): MessageCatalogue {
  const tag = (language ?? '').trim().toLowerCase();
  const exact = Object.keys(catalogues).find((key) => key.toLowerCase() === tag);
  const primary = Object.keys(catalogues).find((key) => key.toLowerCase() === tag.split('-')[0]);
  return catalogues[exact ?? primary ?? DEFAULT_LANGUAGE] ?? en;
}
