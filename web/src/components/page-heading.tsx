/** The view's h1: takes focus when the view opens, so keyboard and screen-reader users start there. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useDocumentTitle } from '../app-context.js';

export function PageHeading({ title, id, children }: { title: string; id?: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(title);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} class="page-heading">
      {children ?? title}
    </h1>
  );
}
