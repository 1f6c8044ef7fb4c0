// Modal dialogs on the native <dialog>: focus moves in, Escape closes, focus returns after.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

import { useI18n } from "../i18n/i18n";

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}

export function Dialog({ open, title, onClose, children, footer, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      {footer ? <div className="dialog-footer">{footer}</div> : null}
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** When set, the person must type this word before confirming (erasure, bulk actions). */
  typedConfirmation?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const { t } = useI18n();
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const ready = !props.typedConfirmation || typed.trim() === props.typedConfirmation;
  const cancel = () => {
    setTyped("");
    props.onCancel();
  };
  return (
    <Dialog
      open={props.open}
      title={props.title}
      onClose={cancel}
      footer={
        <>
          <button type="button" className="btn" onClick={cancel}>
            {t("common.cancel")}
          </button>
          <button
            type="button"
            className={props.danger ? "btn btn-danger" : "btn btn-primary"}
            disabled={!ready || props.busy}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <div>{props.message}</div>
      {props.typedConfirmation ? (
        <div className="field">
          <label htmlFor={inputId}>
            {t("common.typeToConfirm", { word: props.typedConfirmation })}
          </label>
          <input
            id={inputId}
            value={typed}
            autoComplete="off"
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      ) : null}
    </Dialog>
  );
}
