// The quick search in the header: results while typing (after a short pause), each with its
// postcode and city, e-mail and membership status; arrows move, Enter opens, Escape closes.
// The last option leads to the contact list filtered by the same text.
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { useNavigate } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { contactName, useContactSearch, type ContactSummary } from "../../ui/ContactPicker";
import { MembershipBadge } from "../contacts/MembershipBadge";
import "./search.css";

const TYPING_PAUSE_MS = 150;
const MIN_LENGTH = 2;
const HITS = 8;

function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export function QuickSearch() {
  const { t, number } = useI18n();
  const navigate = useNavigate();
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  // -1: nothing chosen yet (Enter shows all results); HITS.length: the "show all" option.
  const [active, setActive] = useState(-1);
  const settled = useDebounced(text.trim(), TYPING_PAUSE_MS);
  const search = useContactSearch(settled, HITS);
  const ready = settled.length >= MIN_LENGTH && text.trim().length >= MIN_LENGTH;
  const hits = ready ? (search.data?.items ?? []) : [];
  const total = search.data?.total ?? 0;
  const showList = open && ready && (search.data !== undefined || !search.isFetching);
  const optionCount = hits.length + 1;

  // New results: the highlighted position would point at another contact now.
  useEffect(() => setActive(-1), [search.data]);

  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const openContact = (hit: ContactSummary) => {
    close();
    setText("");
    void navigate(`/contacts/${hit.id}`);
  };
  const showAll = () => {
    close();
    void navigate(`/contacts?q=${encodeURIComponent(text.trim())}`);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!ready) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((at) => {
        const next = at + step;
        return next >= optionCount ? 0 : next < 0 ? optionCount - 1 : next;
      });
    } else if (event.key === "Enter") {
      if (text.trim().length < MIN_LENGTH) return;
      event.preventDefault();
      const hit = hits[active];
      if (open && hit) openContact(hit);
      else showAll();
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else setText("");
    }
  };

  const optionId = (index: number) => `${id}-option-${index}`;
  return (
    <div className="quick-search" role="search">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {t("search.label")}
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? optionId(active) : undefined}
        aria-describedby={`${id}-status`}
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder={t("search.placeholder")}
        onChange={(event) => {
          setText(event.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <span id={`${id}-status`} className="visually-hidden" role="status" aria-live="polite">
        {showList ? t("search.count", { count: number(total) }) : ""}
      </span>
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t("search.results")}
        aria-busy={search.isFetching}
        hidden={!showList}
        className="quick-search-list"
      >
        {hits.map((hit, index) => (
          <li
            key={hit.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault();
              openContact(hit);
            }}
            onMouseEnter={() => setActive(index)}
          >
            <HitSummary hit={hit} />
          </li>
        ))}
        {hits.length === 0 ? (
          <li className="quick-search-empty" aria-disabled="true" role="option" aria-selected={false}>
            {search.isFetching ? t("search.searching") : t("search.none")}
          </li>
        ) : null}
        <li
          id={optionId(hits.length)}
          role="option"
          aria-selected={active === hits.length}
          className="quick-search-all"
          onMouseDown={(event) => {
            event.preventDefault();
            showAll();
          }}
          onMouseEnter={() => setActive(hits.length)}
        >
          {t("search.showAll", { text: text.trim() })}
        </li>
      </ul>
    </div>
  );
}

function HitSummary({ hit }: { hit: ContactSummary }) {
  const place = [hit.postcode, hit.city].filter(Boolean).join(" ");
  return (
    <span className="hit">
      <span className="hit-name">{contactName(hit)}</span>
      <MembershipBadge status={hit.membership.status} types={hit.membership.types.map((type) => type.name)} />
      <span className="hit-details">
        {place ? <span>{place}</span> : null}
        {hit.emails[0] ? <span>{hit.emails[0]}</span> : null}
      </span>
    </span>
  );
}
