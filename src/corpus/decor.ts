/** Decorative elements drawn from the document's own random stream: signatures, photos, security print. */
import type { GuillocheOp, PathOp, PortraitOp } from './layout.js';
import type { Rng } from './random.js';

/** A scribbled signature inside the box (x, y, w, h). */
export function signature(rng: Rng, x: number, y: number, w: number, h: number, width = 0.25): PathOp {
  const points: [number, number][] = [];
  const loops = rng.int(3, 6);
  const steps = loops * 10;
  const phase = rng.float(0, Math.PI);
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const px = x + t * w + Math.cos(t * loops * Math.PI * 2 + phase) * w * 0.04;
    const py = y + h / 2 + Math.sin(t * loops * Math.PI * 2) * h * 0.35 * (1 - t * 0.5) + rng.float(-0.05, 0.05) * h;
    points.push([px, py]);
  }
  return { kind: 'path', points, color: rng.pick(['#1b2a6b', '#202020', '#123c7a']), width };
}

export function portrait(rng: Rng, x: number, y: number, w: number, h: number): PortraitOp {
  return {
    kind: 'portrait', x, y, w, h,
    background: rng.pick(['#dfe6ea', '#e8e4dc', '#d9dde3']),
    skin: rng.pick(['#f1c7a5', '#d8a27c', '#a8714f', '#6f4a33', '#f5d3b8']),
    hair: rng.pick(['#2b1d14', '#5a3b22', '#a0783f', '#1a1a1a', '#8c8c8c', '#c9a15a']),
    clothes: rng.pick(['#2e3d5c', '#3a3a3a', '#6b2b2b', '#35523a', '#4b4b6b']),
  };
}

export function guilloche(rng: Rng, x: number, y: number, w: number, h: number, color: string): GuillocheOp {
  return { kind: 'guilloche', x, y, w, h, color, waves: rng.int(8, 14), phase: rng.float(0, Math.PI * 2) };
}
