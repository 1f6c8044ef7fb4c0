// The quick search in the header: results while typing (after a short pause), each with its
// postcode and city, e-mail and membership status; arrows move, Enter opens, Escape closes.
// The last option leads to the contact list filtered by the same text.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useNavigate } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { contactName, useContactSearch, type ContactSummary } from "../../ui/ContactPicker";
import { MembershipBadge } from "../contacts/MembershipBadge";
import "./search.css";

// At most one search per interval while typing (~6 a second), the first one at once.
const SEARCH_INTERVAL_MS = 150;
const MIN_LENGTH = 2;
const HITS = 8;
const SHOW_ALL = "all";

/** The value at most every `intervalMs`: a change after a pause goes at once (no waiting
 * after the last key), changes while typing fast are merged into one at the interval's end. */
function useThrottled(value: string, intervalMs: number): string {
  const [settled, setSettled] = useState(value);
  const lastSent = useRef(0);
  useEffect(() => {
    const wait = lastSent.current + intervalMs - performance.now();
    const send = () => {
      lastSent.current = performance.now();
      setSettled(value);
    };
    if (wait <= 0) {
      send();
      return;
    }
    const timer = window.setTimeout(send, wait);
    return () => window.clearTimeout(timer);
  }, [value, intervalMs]);
  return settled;
}

export function QuickSearch() {
  const { t, number } = useI18n();
  const navigate = useNavigate();
  const id = useId();
  const inputId = "quick-search";
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  // The highlighted option by contact id (it stays on its contact when newer results come),
  // SHOW_ALL for the last option, null for none (Enter then shows all results).
  const [active, setActive] = useState<string | null>(null);
  const settled = useThrottled(text.trim(), SEARCH_INTERVAL_MS);
  const search = useContactSearch(settled, HITS);
  const ready = settled.length >= MIN_LENGTH && text.trim().length >= MIN_LENGTH;
  const hits = ready ? (search.data?.items ?? []) : [];
  const total = search.data?.total ?? 0;
  const showList = open && ready && (search.data !== undefined || !search.isFetching);
  const options = [...hits.map((hit) => hit.id), SHOW_ALL];

  const close = () => {
    setOpen(false);
    setActive(null);
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
      setActive((current) => {
        const next = (current === null ? -1 : options.indexOf(current)) + step;
        return options[next >= options.length ? 0 : next < 0 ? options.length - 1 : next] ?? null;
      });
    } else if (event.key === "Enter") {
      if (text.trim().length < MIN_LENGTH) return;
      event.preventDefault();
      const hit = hits.find((candidate) => candidate.id === active);
      if (open && hit) openContact(hit);
      else showAll();
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else setText("");
    }
  };

  const optionId = (option: string) => `${id}-option-${option}`;
  return (
    <div className="quick-search combobox" role="search">
      <label htmlFor={inputId} className="visually-hidden">
        {t("search.label")}
      </label>
      <input
        id={inputId}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={
          showList && active && options.includes(active) ? optionId(active) : undefined
        }
        aria-describedby={`${id}-status`}
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder={t("search.placeholder")}
        onChange={(event) => {
          setText(event.target.value);
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
        // Which text the shown results answer (the benchmark times keystroke → this).
        data-query={showList && !search.isPlaceholderData ? settled : undefined}
        className="quick-search-list"
      >
        {hits.map((hit) => (
          <li
            key={hit.id}
            id={optionId(hit.id)}
            role="option"
            aria-selected={hit.id === active}
            onMouseDown={(event) => {
              event.preventDefault();
              openContact(hit);
            }}
            onMouseEnter={() => setActive(hit.id)}
          >
            <HitSummary hit={hit} />
          </li>
        ))}
        {hits.length === 0 ? (
          <li
            className="quick-search-empty"
            role="option"
            aria-disabled="true"
            aria-selected={false}
          >
            {search.isFetching ? t("search.searching") : t("search.none")}
          </li>
        ) : null}
        <li
          id={optionId(SHOW_ALL)}
          role="option"
          aria-selected={active === SHOW_ALL}
          className="quick-search-all"
          onMouseDown={(event) => {
            event.preventDefault();
            showAll();
          }}
          onMouseEnter={() => setActive(SHOW_ALL)}
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
      <MembershipBadge
        status={hit.membership.status}
        types={hit.membership.types.map((type) => type.name)}
      />
      <span className="hit-details">
        {place ? <span>{place}</span> : null}
        {hit.emails[0] ? <span>{hit.emails[0]}</span> : null}
      </span>
    </span>
  );
}
