/**
 * A tiny page description shared by the two renderers: pdf-lib (text-layer PDFs) and @napi-rs/canvas
 * (photographs and scans). Coordinates are in page units (points for A4 documents, millimetres for
 * cards) from the top-left corner; text `y` is the baseline.
 */

export type FontFamily = 'sans' | 'serif' | 'mono' | 'ocrb';
export type Align = 'left' | 'right' | 'center';

export interface TextOp {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  family: FontFamily;
  bold: boolean;
  color: string;
  align: Align;
  /** Scale the font so the text is exactly this wide (MRZ lines). */
  fitWidth?: number;
}

export interface RectOp {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  stroke?: string;
  lineWidth?: number;
}

export interface LineOp {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
}

/** A hand-drawn stroke (signatures). */
export interface PathOp {
  kind: 'path';
  points: [number, number][];
  color: string;
  width: number;
}

/** A stylised holder photo. Raster only; PDFs skip it. */
export interface PortraitOp {
  kind: 'portrait';
  x: number;
  y: number;
  w: number;
  h: number;
  background: string;
  skin: string;
  hair: string;
  clothes: string;
}

/** Security-print style wavy lines. Raster only. */
export interface GuillocheOp {
  kind: 'guilloche';
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  waves: number;
  phase: number;
}

export type DrawOp = TextOp | RectOp | LineOp | PathOp | PortraitOp | GuillocheOp;

export interface PageSpec {
  width: number;
  height: number;
  background: string;
  ops: DrawOp[];
}

export interface TextStyle {
  size?: number;
  family?: FontFamily;
  bold?: boolean;
  color?: string;
  align?: Align;
  fitWidth?: number;
}

export const A4 = { width: 595, height: 842 } as const;

/** Builds a PageSpec with a default text style; templates read top to bottom like the page. */
export class PageBuilder {
  readonly ops: DrawOp[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly defaults: Required<Omit<TextStyle, 'fitWidth'>>,
    private readonly background = '#ffffff',
  ) {}

  text(x: number, y: number, text: string, style: TextStyle = {}): this {
    this.ops.push({ kind: 'text', x, y, text, ...this.defaults, ...style });
    return this;
  }

  /** Lines of text from baseline `y`, `leading` apart; returns the baseline after the last line. */
  lines(x: number, y: number, lines: readonly string[], style: TextStyle & { leading?: number } = {}): number {
    const { leading, ...textStyle } = style;
    const step = leading ?? (style.size ?? this.defaults.size) * 1.3;
    lines.forEach((line, i) => this.text(x, y + i * step, line, textStyle));
    return y + lines.length * step;
  }

  /** A label on the left and a value right-aligned at `right`. */
  row(x: number, right: number, y: number, label: string, value: string, style: TextStyle = {}): this {
    this.text(x, y, label, style);
    return this.text(right, y, value, { ...style, align: 'right' });
  }

  rect(x: number, y: number, w: number, h: number, paint: { fill?: string; stroke?: string; lineWidth?: number }): this {
    this.ops.push({ kind: 'rect', x, y, w, h, ...paint });
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, color = '#000000', width = 0.5): this {
    this.ops.push({ kind: 'line', x1, y1, x2, y2, color, width });
    return this;
  }

  add(op: DrawOp): this {
    this.ops.push(op);
    return this;
  }

  build(): PageSpec {
    return { width: this.width, height: this.height, background: this.background, ops: [...this.ops] };
  }
}

export function a4Page(family: FontFamily, size = 9.5): PageBuilder {
  return new PageBuilder(A4.width, A4.height, { size, family, bold: false, color: '#111111', align: 'left' });
}
