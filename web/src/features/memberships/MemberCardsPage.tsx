// /cards — print member cards on A4 sheets (PDF) for the members of a type, the contacts of a
// saved search, or contacts chosen one by one. The service prints at most 500 cards a sheet
// file and refuses contacts who hold no membership today (422, naming them): the page splits
// long lists and offers to print without those.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";

import { api, download, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName, type ContactSummary } from "../../ui/ContactPicker";
import { Field } from "../../ui/Field";
import { Page, Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { MAX_PAGE, allMembersOn, useCalendar, useTypeChoices } from "./membershipApi";
import "./memberships.css";

type Source = "type" | "search" | "contacts";

async function savedSearchContacts(searchId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api.GET("/api/v1/contacts/saved-searches/{search_id}/contact-ids", {
        params: { path: { search_id: searchId }, query: { cursor, limit: 5000 } },
      }),
    );
    ids.push(...page.contact_ids);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return ids;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/** The contacts a 422 answer names as holding no membership today. */
function nonMembersOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  const named = error.problem.contact_ids;
  return Array.isArray(named) ? named.filter((id): id is string => typeof id === "string") : [];
}

export default function MemberCardsPage() {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const [search] = useSearchParams();
  const calendar = useCalendar();
  const mayUseSearches = can("GET", "/contacts/saved-searches/{search_id}/contact-ids");
  const [source, setSource] = useState<Source>(search.get("search") && mayUseSearches ? "search" : "type");
  const [typeId, setTypeId] = useState("");
  const [searchId, setSearchId] = useState(search.get("search") ?? "");
  const [chosen, setChosen] = useState<ContactSummary[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [printed, setPrinted] = useState<number | null>(null);

  const gather = async (): Promise<string[]> => {
    if (source === "contacts") return chosen.map((contact) => contact.id);
    if (source === "search") return savedSearchContacts(searchId);
    const today = calendar.data?.today;
    if (!today) throw new Error("calendar");
    const members = await allMembersOn(today, typeId || undefined);
    return members.map((member) => member.contact_id);
  };

  const print = async (leaveOut: string[]) => {
    setError(null);
    setPrinted(null);
    try {
      const skip = new Set(leaveOut);
      const ids = [...new Set(await gather())].filter((id) => !skip.has(id));
      if (ids.length === 0) {
        setPrinted(0);
        return;
      }
      const sheets = chunks(ids, MAX_PAGE);
      setProgress({ done: 0, total: ids.length });
      for (const [index, sheet] of sheets.entries()) {
        await download("/api/v1/memberships/cards/sheet", "member-cards.pdf", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ contact_ids: sheet }),
        }).catch((failure: unknown) => {
          // Which of these are no members today, for the offer to print the others.
          const missing = nonMembersOf(failure);
          if (missing.length) setSkipped([...leaveOut, ...missing]);
          throw failure;
        });
        setProgress({ done: Math.min((index + 1) * MAX_PAGE, ids.length), total: ids.length });
      }
      setPrinted(ids.length);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSkipped([]);
    void print([]);
  };

  const ready =
    (source === "type" && Boolean(calendar.data)) ||
    (source === "search" && Boolean(searchId)) ||
    (source === "contacts" && chosen.length > 0);
  const missing = nonMembersOf(error);

  return (
    <Page title={t("memberships.cards.title")}>
      <form className="card ms-card form" onSubmit={submit}>
        <p>{t("memberships.cards.intro")}</p>
        <fieldset className="ms-fieldset">
          <legend>{t("memberships.cards.source")}</legend>
          <div className="ms-radios">
            <label>
              <input type="radio" name="source" checked={source === "type"} onChange={() => setSource("type")} />{" "}
              {t("memberships.cards.byType")}
            </label>
            {mayUseSearches ? (
              <label>
                <input
                  type="radio"
                  name="source"
                  checked={source === "search"}
                  onChange={() => setSource("search")}
                />{" "}
                {t("memberships.cards.bySearch")}
              </label>
            ) : null}
            <label>
              <input
                type="radio"
                name="source"
                checked={source === "contacts"}
                onChange={() => setSource("contacts")}
              />{" "}
              {t("memberships.cards.byContacts")}
            </label>
          </div>
        </fieldset>
        {source === "type" ? <TypeChoice value={typeId} onChange={setTypeId} /> : null}
        {source === "search" ? <SearchChoice value={searchId} onChange={setSearchId} /> : null}
        {source === "contacts" ? <ContactChoice chosen={chosen} onChange={setChosen} /> : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!ready || progress !== null}>
            {t("memberships.cards.print")}
          </button>
        </div>
        {progress ? (
          <Progress label={t("memberships.cards.printing")} done={progress.done} total={progress.total} />
        ) : null}
        {printed !== null ? (
          <p className="alert alert-success" role="status">
            {printed === 0
              ? t("memberships.cards.nobody")
              : t("memberships.cards.printed", { count: number(printed) })}
          </p>
        ) : null}
        {missing.length ? (
          <div className="alert alert-warning" role="alert">
            <strong>{t("memberships.cards.nonMembers", { count: number(missing.length) })}</strong>
            <p>
              <button type="button" className="btn" onClick={() => void print(skipped)}>
                {t("memberships.cards.printOthers")}
              </button>
            </p>
          </div>
        ) : (
          <ProblemAlert error={error instanceof Error && error.message === "calendar" ? null : error} />
        )}
      </form>
    </Page>
  );
}

function TypeChoice({ value, onChange }: { value: string; onChange: (typeId: string) => void }) {
  const { t } = useI18n();
  const types = useTypeChoices();
  return (
    <Field label={t("memberships.field.type")} hint={t("memberships.cards.typeHint")}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{t("memberships.members.allTypes")}</option>
          {(types.data ?? []).map((type) => (
            <option key={type.id} value={type.id}>
              {type.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function SearchChoice({ value, onChange }: { value: string; onChange: (searchId: string) => void }) {
  const { t } = useI18n();
  const saved = useQuery({
    queryKey: ["memberships", "savedSearches"],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/saved-searches", { params: { query: { limit: 200 } }, signal })),
  });
  return (
    <>
      <Field label={t("memberships.cards.search")} hint={t("memberships.cards.searchHint")}>
        {(control) => (
          <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
            <option value="">{t("memberships.cards.chooseSearch")}</option>
            {(saved.data?.items ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemAlert error={saved.error} />
    </>
  );
}

function ContactChoice(props: { chosen: ContactSummary[]; onChange: (chosen: ContactSummary[]) => void }) {
  const { t } = useI18n();
  const ids = new Set(props.chosen.map((contact) => contact.id));
  return (
    <div className="ms-contact-choice">
      <ContactPicker
        label={t("memberships.cards.addContact")}
        exclude={ids}
        onPick={(contact) => props.onChange([...props.chosen, contact])}
      />
      {props.chosen.length ? (
        <ul className="ms-chosen" aria-label={t("memberships.cards.chosen")}>
          {props.chosen.map((contact) => (
            <li key={contact.id}>
              {contactName(contact)}{" "}
              <button
                type="button"
                className="btn-link"
                aria-label={t("memberships.cards.removeOne", { name: contactName(contact) })}
                onClick={() => props.onChange(props.chosen.filter((other) => other.id !== contact.id))}
              >
                {t("common.remove")}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="ms-muted">{t("memberships.cards.noneChosen")}</p>
      )}
    </div>
  );
}
