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

/**
 * The catalogue for an HTTP `Accept-Language` header: its tags by weight (`q`), the first one a
 * catalogue matches (exactly or by its primary language), else English. `*` and `q=0` are skipped.
 */
export function messagesForAcceptLanguage(header: string | undefined, catalogues: Readonly<Record<string, MessageCatalogue>> = CATALOGUES): MessageCatalogue {
  const tags = (header ?? '')
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => t.tag.length > 0 && t.tag !== '*' && t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  const keys = Object.keys(catalogues).map((k) => k.toLowerCase());
  for (const { tag } of tags) {
    const lower = tag.toLowerCase();
    if (keys.includes(lower) || keys.includes(lower.split('-')[0]!)) return messagesFor(tag, catalogues);
  }
  return messagesFor(undefined, catalogues);
}
