// Choose a contact by typing part of any field (the quick search's API): a combobox with a
// listbox of matches, keyboard-usable (arrows, Enter, Escape). Used wherever a contact is
// added to something (a group, a family, a company).
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState, type KeyboardEvent } from "react";

import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n/i18n";

export type ContactSummary = components["schemas"]["contacts.ContactSummary"];

export function useContactSearch(text: string, limit = 8) {
  const q = text.trim();
  return useQuery({
    queryKey: ["contacts", "search", q, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contacts/search", {
          params: { query: { q, limit } },
          signal,
        }),
      ),
    enabled: q.length >= 2,
    placeholderData: (previous) => previous,
  });
}

export function contactName(contact: { first_name: string; last_name: string }): string {
  return `${contact.first_name} ${contact.last_name}`.trim();
}

interface ContactPickerProps {
  label: string;
  onPick: (contact: ContactSummary) => void;
  exclude?: ReadonlySet<string>;
}

export function ContactPicker({ label, onPick, exclude }: ContactPickerProps) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const deferred = useDeferredValue(text);
  const search = useContactSearch(deferred);
  const id = useId();
  const hits = (search.data?.items ?? []).filter((hit) => !exclude?.has(hit.id));
  const showList = open && text.trim().length >= 2;

  const pick = (contact: ContactSummary) => {
    onPick(contact);
    setText("");
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((at) => (hits.length ? (at + step + hits.length) % hits.length : 0));
    } else if (event.key === "Enter" && showList && hits[active]) {
      event.preventDefault();
      pick(hits[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  return (
    <div className="contact-picker combobox">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList && hits[active] ? `${id}-${hits[active].id}` : undefined}
        autoComplete="off"
        value={text}
        placeholder={t("search.placeholder")}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      {showList ? (
        <ul id={`${id}-list`} role="listbox" aria-label={label}>
          {hits.map((hit, index) => (
            <li
              key={hit.id}
              id={`${id}-${hit.id}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(hit);
              }}
            >
              {contactName(hit)}
              {hit.postcode || hit.city ? ` · ${[hit.postcode, hit.city].filter(Boolean).join(" ")}` : ""}
            </li>
          ))}
          {hits.length === 0 && !search.isFetching ? (
            <li role="option" aria-selected={false} aria-disabled="true">
              {t("common.table.empty")}
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
