/**
 * The text a page description draws, in reading order: the reference for the character error rate
 * of OCR over that page once rendered. Pure.
 */
import type { PageSpec, TextOp } from '../corpus/layout.js';

/** A rough advance width per character, as a fraction of the font size (only for ordering runs on a line). */
const CHAR_WIDTH = 0.5;

/**
 * Text runs grouped into lines by baseline (a run joins a line when its baseline is within half a
 * font size of the line's first run), lines top to bottom, runs left to right by their left edge
 * (estimated for right-aligned and centred runs), separated by a space.
 */
export function pageGroundTruth(page: PageSpec): string {
  const runs = page.ops.filter((op): op is TextOp => op.kind === 'text' && op.text.trim() !== '');
  const byBaseline = [...runs].sort((a, b) => a.y - b.y || leftEdge(a) - leftEdge(b));
  const lines: TextOp[][] = [];
  for (const run of byBaseline) {
    const line = lines[lines.length - 1];
    const first = line?.[0];
    if (line && first && Math.abs(run.y - first.y) <= Math.max(run.size, first.size) / 2) line.push(run);
    else lines.push([run]);
  }
  return lines
    .map((line) => line.sort((a, b) => leftEdge(a) - leftEdge(b)).map((run) => run.text.trim()).join(' '))
    .join('\n');
}

function leftEdge(run: TextOp): number {
  const width = run.fitWidth ?? run.text.length * run.size * CHAR_WIDTH;
  return run.align === 'right' ? run.x - width : run.align === 'center' ? run.x - width / 2 : run.x;
}
