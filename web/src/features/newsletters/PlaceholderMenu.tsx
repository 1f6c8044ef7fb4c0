// The personalisation fields the service fills per recipient, offered as a small menu: a
// button that opens a list of buttons (Escape closes it and gives focus back).
import { useId, useRef, useState, type KeyboardEvent } from "react";

import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";

export const PLACEHOLDER_FIELDS = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "membership_type",
  "unsubscribe_url",
] as const;
export type PlaceholderField = (typeof PLACEHOLDER_FIELDS)[number];

export const FIELD_LABELS: Record<PlaceholderField, MessageKey> = {
  first_name: "newsletters.field.first_name",
  last_name: "newsletters.field.last_name",
  full_name: "newsletters.field.full_name",
  email: "newsletters.field.email",
  membership_type: "newsletters.field.membership_type",
  unsubscribe_url: "newsletters.field.unsubscribe_url",
};

export function placeholder(field: PlaceholderField): string {
  return `{{ ${field} }}`;
}

interface PlaceholderMenuProps {
  /** Which fields to offer (the subject has no use for the unsubscribe link). */
  fields?: readonly PlaceholderField[];
  label: string;
  onInsert: (field: PlaceholderField) => void;
}

export function PlaceholderMenu({ fields = PLACEHOLDER_FIELDS, label, onInsert }: PlaceholderMenuProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && open) {
      event.stopPropagation();
      event.preventDefault();
      close(true);
    }
  };

  return (
    <div
      className="nl-placeholder-menu"
      onKeyDown={onKeyDown}
      // Focus leaving the menu (a click elsewhere, Tab past the last field) closes it.
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls={listId}
        // Keeps the editor's selection where the field goes.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          setOpen(!open);
          if (!open) requestAnimationFrame(() => list.current?.querySelector("button")?.focus());
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <ul id={listId} ref={list} className="nl-placeholder-list">
          {fields.map((field) => (
            <li key={field}>
              <button
                type="button"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => {
                  close(false);
                  onInsert(field);
                }}
              >
                {t(FIELD_LABELS[field])} <code>{placeholder(field)}</code>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
