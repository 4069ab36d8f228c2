import type { ReactElement, ReactNode } from "react";

/** A dialog over the page: a click outside it or Escape closes it. */
export function Modal({ label, testId, className, onClose, children }: { label: string; testId: string; className?: string; onClose(): void; children: ReactNode }): ReactElement {
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-label={label} onClick={onClose} onKeyDown={(e) => e.key === "Escape" && onClose()} data-testid={testId}>
      <div className={className ? `modal-body ${className}` : "modal-body"} onClick={(e) => e.stopPropagation()}>
        {children}
      </div>
    </div>
  );
}
