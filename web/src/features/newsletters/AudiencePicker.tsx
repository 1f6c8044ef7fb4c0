// Who a campaign goes to: any mix of mailing lists, the contacts a saved search finds now,
// families (their adults) and single contacts. The service removes duplicates, opt-outs,
// bouncing addresses and contacts without an address when sending starts; the campaign page
// shows the size that leaves.
import { useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import {
  savedSearchContactIds,
  useFamilyChoices,
  useListChoices,
  useSavedSearches,
  type AudienceSpec,
} from "./newslettersApi";

interface Named {
  id: string;
  name: string;
}

export interface AudienceDraft {
  listIds: string[];
  families: Named[];
  contacts: Named[];
  search: (Named & { contactIds: string[] }) | null;
  /** Contacts of the campaign this one was copied from (names unknown: maybe thousands). */
  earlierContactIds: string[];
}

export const EMPTY_AUDIENCE: AudienceDraft = {
  listIds: [],
  families: [],
  contacts: [],
  search: null,
  earlierContactIds: [],
};

export function audienceSpec(draft: AudienceDraft): AudienceSpec {
  const contactIds = new Set([
    ...draft.contacts.map((c) => c.id),
    ...(draft.search?.contactIds ?? []),
    ...draft.earlierContactIds,
  ]);
  return {
    list_ids: draft.listIds,
    family_ids: draft.families.map((f) => f.id),
    contact_ids: [...contactIds],
  };
}

export function audienceIsEmpty(draft: AudienceDraft): boolean {
  const spec = audienceSpec(draft);
  return !spec.list_ids?.length && !spec.family_ids?.length && !spec.contact_ids?.length;
}

interface AudiencePickerProps {
  value: AudienceDraft;
  onChange: (next: AudienceDraft) => void;
  errors: Record<string, string>;
}

export function AudiencePicker({ value, onChange, errors }: AudiencePickerProps) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const lists = useListChoices();
  const maySearch = can("GET", "/contacts/saved-searches/{search_id}/contact-ids");
  const mayFamilies = can("GET", "/contacts/families");
  const set = (change: Partial<AudienceDraft>) => onChange({ ...value, ...change });

  return (
    <fieldset className="nl-audience">
      <legend>{t("newsletters.audience.heading")}</legend>
      {errors.audience ? <p className="field-error">{errors.audience}</p> : null}
      <fieldset className="nl-audience-lists">
        <legend>{t("newsletters.audience.lists")}</legend>
        <ProblemAlert error={lists.error} />
        {lists.data?.length === 0 ? <p className="nl-muted">{t("newsletters.audience.noLists")}</p> : null}
        {lists.data?.map((list) => (
          <label key={list.id} className="nl-check">
            <input
              type="checkbox"
              checked={value.listIds.includes(list.id)}
              onChange={(event) =>
                set({
                  listIds: event.target.checked
                    ? [...value.listIds, list.id]
                    : value.listIds.filter((id) => id !== list.id),
                })
              }
            />{" "}
            {list.name}
            {list.group_name ? <span className="nl-muted"> · {list.group_name}</span> : null}
          </label>
        ))}
        {errors["audience.list_ids"] ? <p className="field-error">{errors["audience.list_ids"]}</p> : null}
      </fieldset>
      {maySearch ? (
        <SavedSearchChoice value={value.search} onChange={(search) => set({ search })} />
      ) : null}
      {mayFamilies ? (
        <FamilyChoice value={value.families} onChange={(families) => set({ families })} />
      ) : null}
      <div className="nl-audience-part">
        <ContactPicker
          label={t("newsletters.audience.addContact")}
          exclude={new Set(value.contacts.map((c) => c.id))}
          onPick={(contact) => set({ contacts: [...value.contacts, { id: contact.id, name: contactName(contact) }] })}
        />
        <ChosenList
          label={t("newsletters.audience.contacts")}
          items={value.contacts}
          onRemove={(id) => set({ contacts: value.contacts.filter((c) => c.id !== id) })}
        />
        {value.earlierContactIds.length ? (
          <p className="nl-chosen-earlier">
            {t("newsletters.audience.earlierContacts", { count: number(value.earlierContactIds.length) })}{" "}
            <button type="button" className="btn-link" onClick={() => set({ earlierContactIds: [] })}>
              {t("newsletters.audience.removeEarlier")}
            </button>
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}

function SavedSearchChoice(props: {
  value: AudienceDraft["search"];
  onChange: (search: AudienceDraft["search"]) => void;
}) {
  const { t, number } = useI18n();
  const searches = useSavedSearches(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const choose = async (id: string) => {
    setError(null);
    if (!id) {
      props.onChange(null);
      return;
    }
    const search = searches.data?.find((s) => s.id === id);
    setLoading(true);
    try {
      const contactIds = await savedSearchContactIds(id);
      props.onChange({ id, name: search?.name ?? id, contactIds });
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="nl-audience-part">
      <Field
        label={t("newsletters.audience.savedSearch")}
        hint={
          loading
            ? t("common.loading")
            : props.value
              ? t("newsletters.audience.searchFound", { count: number(props.value.contactIds.length) })
              : t("newsletters.audience.searchHint")
        }
      >
        {(control) => (
          <select
            {...control}
            value={props.value?.id ?? ""}
            disabled={loading}
            onChange={(event) => void choose(event.target.value)}
          >
            <option value="">{t("newsletters.audience.noSearch")}</option>
            {searches.data?.map((search) => (
              <option key={search.id} value={search.id}>
                {search.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemAlert error={error ?? searches.error} />
    </div>
  );
}

function FamilyChoice(props: { value: Named[]; onChange: (families: Named[]) => void }) {
  const { t } = useI18n();
  const families = useFamilyChoices(true);
  const [filter, setFilter] = useState("");
  const chosen = new Set(props.value.map((f) => f.id));
  const needle = filter.trim().toLowerCase();
  const matches = needle
    ? (families.data ?? [])
        .filter((f) => !chosen.has(f.id) && f.name.toLowerCase().includes(needle))
        .slice(0, 8)
    : [];

  return (
    <div className="nl-audience-part">
      <Field label={t("newsletters.audience.findFamily")} hint={t("newsletters.audience.familyHint")}>
        {(control) => (
          <input
            {...control}
            type="search"
            value={filter}
            autoComplete="off"
            onChange={(event) => setFilter(event.target.value)}
          />
        )}
      </Field>
      <ProblemAlert error={families.error} />
      {needle ? (
        matches.length ? (
          <ul className="nl-matches" aria-label={t("newsletters.audience.familyMatches")}>
            {matches.map((family) => (
              <li key={family.id}>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    props.onChange([...props.value, { id: family.id, name: family.name }]);
                    setFilter("");
                  }}
                >
                  {t("newsletters.audience.addFamily")}
                  <span className="visually-hidden">:</span> {family.name}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="nl-muted" role="status">
            {t("common.table.empty")}
          </p>
        )
      ) : null}
      <ChosenList
        label={t("newsletters.audience.families")}
        items={props.value}
        onRemove={(id) => props.onChange(props.value.filter((f) => f.id !== id))}
      />
    </div>
  );
}

function ChosenList(props: { label: string; items: Named[]; onRemove: (id: string) => void }) {
  const { t } = useI18n();
  if (props.items.length === 0) return null;
  return (
    <ul className="nl-chosen" aria-label={props.label}>
      {props.items.map((item) => (
        <li key={item.id}>
          <span>{item.name}</span>
          <button type="button" className="btn-link" onClick={() => props.onRemove(item.id)}>
            {t("common.remove")}
            <span className="visually-hidden"> {item.name}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
