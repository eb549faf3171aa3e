"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/errors";
import { Button, type ButtonProps } from "./button";
import { Modal } from "./modal";

/**
 * A button that opens a form in a modal: Cancel and submit in the footer, focus on the
 * first invalid field after a refused submit. `onSubmit` gets the form's data and a
 * `close` to call on success; `replacement` (e.g. a token shown once) takes the form's place.
 */
export function FormDialog({
  trigger,
  triggerProps,
  title,
  submitLabel,
  pending,
  fieldErrors,
  onSubmit,
  onClose,
  replacement,
  children,
}: {
  trigger: ReactNode;
  triggerProps?: ButtonProps;
  title: string;
  submitLabel: string;
  pending: boolean;
  fieldErrors: FieldErrors;
  onSubmit: (form: FormData, close: () => void) => void;
  onClose?: () => void;
  replacement?: (close: () => void) => ReactNode;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const close = () => {
    setOpen(false);
    onClose?.();
  };

  useEffect(() => {
    if (Object.keys(fieldErrors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);

  return (
    <>
      <Button {...triggerProps} onClick={() => setOpen(true)}>
        {trigger}
      </Button>
      {open ? (
        <Modal title={title} onClose={close}>
          {replacement ? (
            replacement(close)
          ) : (
            <form
              ref={formRef}
              noValidate
              className="space-y-4 text-left whitespace-normal"
              onSubmit={(e) => {
                e.preventDefault();
                onSubmit(new FormData(e.currentTarget), close);
              }}
            >
              {children}
              <div className="flex justify-end gap-2">
                <Button variant="secondary" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" disabled={pending}>
                  {pending ? "Saving…" : submitLabel}
                </Button>
              </div>
            </form>
          )}
        </Modal>
      ) : null}
    </>
  );
}
