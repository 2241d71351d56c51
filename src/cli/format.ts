import type { CaseReport } from '../domain/report.js';

/** A plain-text table of case outcomes for a terminal. */
export function formatReportTable(batchId: string, reports: CaseReport[]): string {
  const rows = reports.map((r) => [
    r.caseId,
    r.decision.toUpperCase(),
    r.reasons.join(', ') || '-',
    r.documents.map((d) => `${d.file}: ${d.error ? `error (${d.errorCode ?? 'unreadable'})` : `${d.type} ${Math.round(d.confidence * 100)}%`}`).join('; '),
  ]);
  const header = ['CASE', 'DECISION', 'REASONS', 'DOCUMENTS'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const counts = (['approved', 'review', 'rejected'] as const).map((d) => `${reports.filter((r) => r.decision === d).length} ${d}`);
  const waiting = reports.filter((r) => r.status === 'awaiting_review').length;
  const hint =
    waiting > 0
      ? [`${waiting} case(s) wait for a reviewer in their workflows: \`npm start\`, then the web page at / or GET /v1/review/tasks.`, '']
      : [];
  return [`Batch ${batchId}: ${reports.length} case(s) — ${counts.join(', ')}`, '', line(header), ...rows.map(line), '', ...hint].join('\n');
}

/** One progress line; a bar when the stream is a terminal. */
export function formatProgress(done: number, total: number, pages?: number, width = 30): string {
  const ratio = total === 0 ? 0 : done / total;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} cases${pages !== undefined ? `, ${pages} pages` : ''}`;
}
