/**
 * Page geometry on raw grayscale pixels (one byte per pixel, row-major), pure and deterministic:
 * quarter turns, the skew of text lines, small-angle rotation, and the quadrilateral of a document
 * photographed on a background with the perspective warp that flattens it. Used before OCR
 * (extraction.ts) and by any step that re-reads a page at another rotation.
 *
 * Estimates run on a downscaled copy (a few hundred pixels a side), so they cost milliseconds;
 * only a correction that is actually applied touches every pixel.
 */

export interface GrayImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

export type QuarterTurn = 0 | 90 | 180 | 270;

/** A point in pixels, origin top-left, y down. */
export interface Point {
  x: number;
  y: number;
}

/** The corners of a document in an image: top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/** What was done to a page before OCR, for the report. */
export interface PageGeometry {
  /** Clockwise quarter turn applied to make the text upright. */
  rotation: QuarterTurn;
  /** Degrees the text lines were tilted clockwise and were turned back (0 when not corrected). */
  skewDeg: number;
  /** The document's quadrilateral was found on a background and flattened (perspective and crop). */
  perspective: boolean;
  /** Resize factor applied to the source image before OCR (1 = none). */
  scale: number;
}

// --- quarter turns ----------------------------------------------------------------------------

/** Rotates by a multiple of 90° clockwise, exactly (no resampling). */
export function rotateQuarter(image: GrayImage, degrees: QuarterTurn): GrayImage {
  const { pixels, width: w, height: h } = image;
  if (degrees === 0) return image;
  if (degrees === 180) {
    const out = new Uint8Array(pixels.length);
    for (let i = 0, n = pixels.length; i < n; i++) out[i] = pixels[n - 1 - i]!;
    return { pixels: out, width: w, height: h };
  }
  const out = new Uint8Array(pixels.length);
  // Output is h wide and w high. Clockwise: out(x', y') = in(y', h - 1 - x').
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const v = pixels[row + x]!;
      if (degrees === 90) out[x * h + (h - 1 - y)] = v;
      else out[(w - 1 - x) * h + y] = v;
    }
  }
  return { pixels: out, width: h, height: w };
}

/** The sum of two quarter turns. */
export function addQuarterTurns(a: QuarterTurn, b: QuarterTurn): QuarterTurn {
  return ((a + b) % 360) as QuarterTurn;
}

// --- downscaling and ink ----------------------------------------------------------------------

/** Box-filter reduction by an integer factor so the long side is at most `longSide`. */
export function downscale(image: GrayImage, longSide: number): { image: GrayImage; factor: number } {
  const factor = Math.max(1, Math.ceil(Math.max(image.width, image.height) / longSide));
  if (factor === 1) return { image, factor };
  const w = Math.max(1, Math.floor(image.width / factor));
  const h = Math.max(1, Math.floor(image.height / factor));
  const out = new Uint8Array(w * h);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * image.width + x * factor;
        for (let dx = 0; dx < factor; dx++) sum += image.pixels[row + dx]!;
      }
      out[y * w + x] = Math.round(sum / area);
    }
  }
  return { image: { pixels: out, width: w, height: h }, factor };
}

/**
 * Ink: pixels clearly darker than their neighbourhood (a local mean over a square window), so a
 * dark table around a photographed page is not ink, only strokes and edges are.
 */
export function inkMask(image: GrayImage, radius: number, minContrast = 18): Uint8Array {
  const { pixels, width: w, height: h } = image;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    for (let x = 0; x < w; x++) {
      rowSum += pixels[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + rowSum;
    }
  }
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(h, y + radius + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(w, x + radius + 1);
      const sum = integral[y1 * (w + 1) + x1]! - integral[y0 * (w + 1) + x1]! - integral[y1 * (w + 1) + x0]! + integral[y0 * (w + 1) + x0]!;
      const mean = sum / ((y1 - y0) * (x1 - x0));
      const v = pixels[y * w + x]!;
      if (v < mean - minContrast && v < mean * 0.88) mask[y * w + x] = 1;
    }
  }
  return mask;
}

// --- skew and text direction ------------------------------------------------------------------

/** Long side of the copy on which skew and text direction are estimated. */
const ANALYSIS_LONG_SIDE = 600;
/** Ink points used at most (evenly sampled): enough for a sharp profile, cheap to project. */
const MAX_INK_POINTS = 20_000;
const MAX_SKEW_DEG = 15;

export interface TextDirection {
  /** Text lines run across (0) or up and down (90) the image; 90 means the page lies on its side. */
  axis: 0 | 90;
  /** Clockwise tilt of the lines from that axis, degrees, within ±15. */
  skewDeg: number;
  /** How much sharper the chosen axis's line profile is than the other's (≥ 1; near 1: no clear lines). */
  axisContrast: number;
  /** The tilt of the sharpest profile within ±15° of horizontal, whichever axis won. */
  acrossSkewDeg: number;
  /** Ink points the estimate rests on. */
  inkPoints: number;
}

/**
 * The direction of the text lines by projection profiles: ink projected across lines at the right
 * angle piles up in narrow peaks (lines) and empty gaps, so the sum of squared bin counts peaks
 * there. Angles within ±15° of horizontal and of vertical are searched, 1° apart, then 0.1° apart
 * around the best. Undefined when the image holds too little ink to say.
 */
export function estimateTextDirection(image: GrayImage): TextDirection | undefined {
  const { image: small } = downscale(image, ANALYSIS_LONG_SIDE);
  const mask = inkMask(small, 10);
  const points = inkPoints(mask, small.width, small.height);
  if (points.length < 400) return undefined;
  const xs = new Float64Array(points.length / 2);
  const ys = new Float64Array(points.length / 2);
  for (let i = 0; i < xs.length; i++) {
    xs[i] = points[2 * i]!;
    ys[i] = points[2 * i + 1]!;
  }
  const range = Math.ceil(Math.hypot(small.width, small.height)) + 2;
  const bins = new Float64Array(2 * range + 1);
  const score = (deg: number): number => {
    const rad = (deg * Math.PI) / 180;
    const s = Math.sin(rad);
    const c = Math.cos(rad);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i]! * c - xs[i]! * s) + range]!++;
    let sum = 0;
    for (let i = 0; i < bins.length; i++) sum += bins[i]! * bins[i]!;
    return sum / xs.length;
  };
  const best = (center: number): { deg: number; score: number } => {
    let top = { deg: center, score: -1 };
    for (let d = -MAX_SKEW_DEG; d <= MAX_SKEW_DEG; d++) {
      const s = score(center + d);
      if (s > top.score) top = { deg: center + d, score: s };
    }
    const coarse = top.deg;
    for (let d = -1; d <= 1.0001; d += 0.1) {
      const s = score(coarse + d);
      if (s > top.score) top = { deg: coarse + d, score: s };
    }
    return top;
  };
  const across = best(0);
  const upDown = best(90);
  const vertical = upDown.score > across.score;
  const chosen = vertical ? upDown : across;
  const other = vertical ? across : upDown;
  return {
    axis: vertical ? 90 : 0,
    skewDeg: round1(chosen.deg - (vertical ? 90 : 0)),
    axisContrast: chosen.score / Math.max(other.score, 1e-9),
    acrossSkewDeg: round1(across.deg),
    inkPoints: xs.length,
  };
}

function inkPoints(mask: Uint8Array, width: number, height: number): number[] {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const stride = Math.max(1, Math.ceil(count / MAX_INK_POINTS));
  const out: number[] = [];
  let seen = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] === 1 && seen++ % stride === 0) out.push(x, y);
    }
  }
  return out;
}

/**
 * Rotates by `degrees` (positive: clockwise) about the centre with bilinear sampling, into a canvas
 * large enough to hold every corner; uncovered pixels are `fill` (white paper by default).
 */
export function rotateSmallAngle(image: GrayImage, degrees: number, fill = 255): GrayImage {
  if (degrees === 0) return image;
  const rad = (degrees * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  const { width: w, height: h } = image;
  const outW = Math.ceil(Math.abs(w * c) + Math.abs(h * s));
  const outH = Math.ceil(Math.abs(w * s) + Math.abs(h * c));
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const ox = (outW - 1) / 2;
  const oy = (outH - 1) / 2;
  const out = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const dy = y - oy;
    for (let x = 0; x < outW; x++) {
      const dx = x - ox;
      // Inverse mapping: turn the output point back by -degrees.
      const sx = dx * c + dy * s + cx;
      const sy = -dx * s + dy * c + cy;
      out[y * outW + x] = sample(image, sx, sy, fill);
    }
  }
  return { pixels: out, width: outW, height: outH };
}

function sample(image: GrayImage, x: number, y: number, fill: number): number {
  const { pixels, width: w, height: h } = image;
  if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) return fill;
  const x0 = Math.max(0, Math.min(w - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(y)));
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = Math.max(0, Math.min(1, x - x0));
  const fy = Math.max(0, Math.min(1, y - y0));
  const top = pixels[y0 * w + x0]! * (1 - fx) + pixels[y0 * w + x1]! * fx;
  const bottom = pixels[y1 * w + x0]! * (1 - fx) + pixels[y1 * w + x1]! * fx;
  return Math.round(top * (1 - fy) + bottom * fy);
}

// --- the document on a background -------------------------------------------------------------

const QUAD_LONG_SIDE = 400;

/**
 * The quadrilateral of a light document photographed on a darker background, or undefined when
 * there is none to find (a scan or a page that fills the frame, a document darker than its
 * background, two documents side by side, a shape without four straight sides meeting at
 * near-right angles). Found on a downscaled copy: Otsu's threshold, the largest light region not
 * touching much of the frame, a straight line along each side of its outline, their intersections.
 */
export function findDocumentQuad(image: GrayImage): Quad | undefined {
  const { image: small, factor } = downscale(image, QUAD_LONG_SIDE);
  const { pixels, width: w, height: h } = small;
  const t = otsu(pixels);
  const labels = new Int32Array(w * h).fill(-1);
  let best: { label: number; area: number } = { label: -1, area: 0 };
  let second: { label: number; area: number } = { label: -1, area: 0 };
  const stack: number[] = [];
  for (let start = 0; start < pixels.length; start++) {
    if (labels[start] !== -1 || pixels[start]! <= t) continue;
    let area = 0;
    labels[start] = start;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      area++;
      const x = i % w;
      const neighbours = [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w];
      for (const j of neighbours) {
        if (j >= 0 && j < pixels.length && labels[j] === -1 && pixels[j]! > t) {
          labels[j] = start;
          stack.push(j);
        }
      }
    }
    if (area > best.area) [second, best] = [best, { label: start, area }];
    else if (area > second.area) second = { label: start, area };
  }
  if (best.label < 0 || best.area < 0.15 * w * h) return undefined;
  // Two documents side by side (a card's front and back): flattening one would drop the other.
  if (second.area > 0.25 * best.area) return undefined;
  // A region along much of the frame is the page itself or the background, not a document on it.
  let border = 0;
  for (let x = 0; x < w; x++) border += Number(labels[x] === best.label) + Number(labels[(h - 1) * w + x] === best.label);
  for (let y = 0; y < h; y++) border += Number(labels[y * w] === best.label) + Number(labels[y * w + w - 1] === best.label);
  if (border > 0.1 * 2 * (w + h)) return undefined;

  // The region's outline seen from each side: per row its first and last pixel, per column its
  // top and bottom. A straight line through most of each outline is that side of the document; a
  // dark patch on the document's edge (a flag band, a photo) only dents the outline, and the
  // robust fit ignores the dent.
  const left: Point[] = [];
  const right: Point[] = [];
  const top: Point[] = [];
  const bottom: Point[] = [];
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (labels[y * w + x] !== best.label) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first >= 0) left.push({ x: first, y: y + 0.5 }), right.push({ x: last + 1, y: y + 0.5 });
  }
  for (let x = 0; x < w; x++) {
    let first = -1;
    let last = -1;
    for (let y = 0; y < h; y++) {
      if (labels[y * w + x] !== best.label) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first >= 0) top.push({ x: x + 0.5, y: first }), bottom.push({ x: x + 0.5, y: last + 1 });
  }
  const lines = [fitLine(top, false), fitLine(right, true), fitLine(bottom, false), fitLine(left, true)];
  if (lines.some((l) => l === undefined)) return undefined;
  const [lt, lr, lb, ll] = lines as [Line, Line, Line, Line];
  const corners = [intersect(ll, lt), intersect(lt, lr), intersect(lr, lb), intersect(lb, ll)];
  if (corners.some((c) => c === undefined)) return undefined;
  const quadSmall = corners as unknown as Quad;
  const area = polygonArea(quadSmall);
  if (area < 0.15 * w * h || area > 0.97 * w * h) return undefined;
  // The region (holes and dents included) must lie within the quadrilateral and fill most of it.
  if (best.area > area * 1.04 || best.area < area * 0.6) return undefined;
  for (let i = 0; i < 4; i++) {
    const a = quadSmall[(i + 3) % 4]!;
    const b = quadSmall[i]!;
    const c = quadSmall[(i + 1) % 4]!;
    const angle = angleDeg(a, b, c);
    if (angle < 65 || angle > 115) return undefined;
    if (b.x < -2 || b.y < -2 || b.x > w + 2 || b.y > h + 2) return undefined;
  }
  return quadSmall.map((p) => ({ x: p.x * factor, y: p.y * factor })) as unknown as Quad;
}

/** A line as points p = origin + t · direction; `steep` lines are fitted as x = a·y + b. */
interface Line {
  steep: boolean;
  a: number;
  b: number;
}

/**
 * A straight line through most of `points` (RANSAC over point pairs chosen deterministically, then
 * least squares over the inliers), or undefined when fewer than half the points lie on one line.
 */
function fitLine(points: readonly Point[], steep: boolean): Line | undefined {
  if (points.length < 10) return undefined;
  const u = (p: Point): number => (steep ? p.y : p.x); // the free coordinate
  const v = (p: Point): number => (steep ? p.x : p.y); // the fitted one
  const n = points.length;
  let best: { a: number; b: number; inliers: number } = { a: 0, b: 0, inliers: -1 };
  const tolerance = 1.5;
  for (let k = 0; k < 150; k++) {
    // Pairs spread along the side: fractions of the length from a fixed low-discrepancy sequence.
    const i = Math.floor(((k * 0.6180339887) % 1) * n);
    const j = Math.floor(((k * 0.7548776662 + 0.5) % 1) * n);
    const p = points[i]!;
    const q = points[j]!;
    if (Math.abs(u(q) - u(p)) < n / 8) continue;
    const a = (v(q) - v(p)) / (u(q) - u(p));
    const b = v(p) - a * u(p);
    let inliers = 0;
    for (const r of points) if (Math.abs(v(r) - (a * u(r) + b)) <= tolerance) inliers++;
    if (inliers > best.inliers) best = { a, b, inliers };
  }
  if (best.inliers < n / 2) return undefined;
  let su = 0;
  let sv = 0;
  let suu = 0;
  let suv = 0;
  let m = 0;
  for (const r of points) {
    if (Math.abs(v(r) - (best.a * u(r) + best.b)) > tolerance) continue;
    su += u(r);
    sv += v(r);
    suu += u(r) * u(r);
    suv += u(r) * v(r);
    m++;
  }
  const denom = m * suu - su * su;
  if (Math.abs(denom) < 1e-9) return { steep, a: best.a, b: best.b };
  const a = (m * suv - su * sv) / denom;
  return { steep, a, b: (sv - a * su) / m };
}

/** Where a steep line (x = a·y + b) meets a flat one (y = a·x + b), either order. */
function intersect(l1: Line, l2: Line): Point | undefined {
  const steep = l1.steep ? l1 : l2;
  const flat = l1.steep ? l2 : l1;
  if (steep.steep === flat.steep) return undefined;
  // x = a1·y + b1, y = a2·x + b2  →  y = a2·(a1·y + b1) + b2
  const d = 1 - flat.a * steep.a;
  if (Math.abs(d) < 1e-9) return undefined;
  const y = (flat.a * steep.b + flat.b) / d;
  return { x: steep.a * y + steep.b, y };
}

/** Otsu's threshold over a 256-bin histogram. */
export function otsu(pixels: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) hist[pixels[i]!]!++;
  const total = pixels.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * hist[v]!;
  let weightBelow = 0;
  let sumBelow = 0;
  let best = { t: 127, between: -1 };
  for (let v = 0; v < 256; v++) {
    weightBelow += hist[v]!;
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += v * hist[v]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best.between) best = { t: v, between };
  }
  return best.t;
}

/**
 * The document inside `quad` flattened to a rectangle (bilinear sampling through the homography
 * from the output rectangle to the quadrilateral): perspective, tilt and background removed at once.
 * The rectangle's sides are the longer of each pair of opposite sides.
 */
export function warpQuad(image: GrayImage, quad: Quad): GrayImage {
  const [tl, tr, br, bl] = quad;
  const outW = Math.max(1, Math.round(Math.max(dist(tl, tr), dist(bl, br))));
  const outH = Math.max(1, Math.round(Math.max(dist(tl, bl), dist(tr, br))));
  const m = homography(
    [
      { x: 0, y: 0 },
      { x: outW, y: 0 },
      { x: outW, y: outH },
      { x: 0, y: outH },
    ],
    quad,
  );
  const out = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const py = y + 0.5;
    for (let x = 0; x < outW; x++) {
      const px = x + 0.5;
      const d = m[6]! * px + m[7]! * py + 1;
      const sx = (m[0]! * px + m[1]! * py + m[2]!) / d - 0.5;
      const sy = (m[3]! * px + m[4]! * py + m[5]!) / d - 0.5;
      out[y * outW + x] = sample(image, sx, sy, 255);
    }
  }
  return { pixels: out, width: outW, height: outH };
}

/** The 3×3 homography (h33 = 1, row-major, 8 values) mapping each `from` point to its `to` point. */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('degenerate quadrilateral');
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      for (let c = col; c < 9; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[8]! / row[i]!);
}

function polygonArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const q = points[(i + 1) % points.length]!;
    sum += p.x * q.y - q.x * p.y;
  }
  return sum / 2;
}

function angleDeg(a: Point, b: Point, c: Point): number {
  const v1 = { x: a.x - b.x, y: a.y - b.y };
  const v2 = { x: c.x - b.x, y: c.y - b.y };
  const cos = (v1.x * v2.x + v1.y * v2.y) / (Math.hypot(v1.x, v1.y) * Math.hypot(v2.x, v2.y));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

// --- a page made upright before OCR -----------------------------------------------------------

/**
 * Below this a tilt is left alone: Tesseract's own line finding copes, and resampling costs
 * accuracy. Measured on the generated corpus (photos tilted up to ±2°): straightening every tilt of
 * 0.4° or more and flattening every photo on a table lost as many fields as it won (small light-grey
 * labels such as a licence's "5." lost after resampling, or once the dark table was cropped off), so
 * only clear distortions are fixed. A drawn passport page's MRZ is lost from 3° of tilt without it.
 */
const MIN_DESKEW_DEG = 2.5;
/** A document quadrilateral is flattened only when a corner is this far from a right angle (perspective) or it is tilted MIN_DESKEW_DEG. */
const MIN_KEYSTONE_DEG = 3;
/** How much sharper the up-and-down profile must be before a page is taken to lie on its side. */
const MIN_SIDEWAYS_CONTRAST = 1.3;

export interface StraightenedPage {
  image: GrayImage;
  geometry: Omit<PageGeometry, 'scale'>;
  /** Text lines were found: a turn can be judged by reading (a blank page has nothing to turn). */
  hasText: boolean;
}

/**
 * Flattens a document photographed on a background, turns a page lying on its side a quarter turn
 * and straightens tilted lines. Which way is up (0 or 180, 90 or 270) is left to the reader: lines
 * look the same both ways, so extraction reads again turned when the first reading is poor.
 */
export function straightenPage(input: GrayImage): StraightenedPage {
  let image = input;
  let perspective = false;
  const quad = findDocumentQuad(image);
  if (quad && (quadKeystoneDeg(quad) >= MIN_KEYSTONE_DEG || Math.abs(quadTiltDeg(quad)) >= MIN_DESKEW_DEG)) {
    image = warpQuad(image, quad);
    perspective = true;
  }
  const direction = estimateTextDirection(image);
  if (!direction) return { image, geometry: { rotation: 0, skewDeg: 0, perspective }, hasText: false };
  let rotation: QuarterTurn = 0;
  if (direction.axis === 90 && direction.axisContrast >= MIN_SIDEWAYS_CONTRAST) {
    // Lines at 90° + δ are at δ after a quarter turn either way.
    image = rotateQuarter(image, 270);
    rotation = 270;
  }
  // Not turned: the lines are taken as running across, at the best horizontal profile's tilt.
  const tilt = rotation !== 0 ? direction.skewDeg : direction.acrossSkewDeg;
  let skewDeg = 0;
  // A best angle at the edge of the search is no optimum (lines that run some other way): left alone.
  if (Math.abs(tilt) >= MIN_DESKEW_DEG && Math.abs(tilt) < MAX_SKEW_DEG - 0.5) {
    image = rotateSmallAngle(image, -tilt, borderLevel(image));
    skewDeg = tilt;
  }
  return { image, geometry: { rotation, skewDeg, perspective }, hasText: true };
}

/** How far the quadrilateral's corners are from right angles, at most (degrees). */
export function quadKeystoneDeg(quad: Quad): number {
  let worst = 0;
  for (let i = 0; i < 4; i++) worst = Math.max(worst, Math.abs(angleDeg(quad[(i + 3) % 4]!, quad[i]!, quad[(i + 1) % 4]!) - 90));
  return worst;
}

/** The clockwise tilt of the quadrilateral's top and bottom sides, averaged (degrees). */
export function quadTiltDeg(quad: Quad): number {
  const [tl, tr, br, bl] = quad;
  const top = Math.atan2(tr.y - tl.y, tr.x - tl.x);
  const bottom = Math.atan2(br.y - bl.y, br.x - bl.x);
  return (((top + bottom) / 2) * 180) / Math.PI;
}

/** The median level of the image's outermost pixels: what a rotation fills its new corners with, so they add no edges. */
function borderLevel(image: GrayImage): number {
  const { pixels, width: w, height: h } = image;
  const hist = new Uint32Array(256);
  let n = 0;
  for (let x = 0; x < w; x++) (hist[pixels[x]!]!++, hist[pixels[(h - 1) * w + x]!]!++, (n += 2));
  for (let y = 0; y < h; y++) (hist[pixels[y * w]!]!++, hist[pixels[y * w + w - 1]!]!++, (n += 2));
  let seen = 0;
  for (let v = 0; v < 256; v++) if ((seen += hist[v]!) >= n / 2) return v;
  return 255;
}
