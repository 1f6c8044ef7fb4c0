// Advanced search: build a filter tree, run it (the tree goes into the URL, so a link
// reproduces the search), see the matches in chosen columns, save the search, export the
// matches and add or remove all of them to or from a group.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { BulkGroupAction } from "./BulkGroupAction";
import { LettersForMatches } from "../letters/LettersForMatches";
import { InviteMatches } from "./InviteMatches";
import { ColumnChooser } from "./ColumnChooser";
import { ExportActions } from "./ExportActions";
import { FilterBuilder } from "./FilterBuilder";
import {
  draftProblems,
  emptyTree,
  encodeFilter,
  filterToTree,
  sameQuery,
  treeToFilter,
  type ApiFilter,
  type GroupNode,
} from "./filterTree";
import {
  SAVED_KEY,
  forgetCursors,
  useMayChange,
  useResultTotal,
  useSavedSearches,
  type RunQuery,
} from "./finderApi";
import { ResultsTable } from "./ResultsTable";
import { SavedSearches } from "./SavedSearches";
import { SaveSearchDialog } from "./SaveSearchDialog";
import { useFinderUrl } from "./useFinderUrl";
import "./finder.css";

function treeOf(filter: ApiFilter | null | "invalid"): GroupNode {
  return filter && filter !== "invalid" ? filterToTree(filter) : emptyTree();
}

export default function FinderPage() {
  const { t, number } = useI18n();
  const url = useFinderUrl();
  const committed = url.filter === "invalid" ? undefined : (url.filter ?? undefined);

  // The draft follows the URL when the URL changes from outside (a saved search, back).
  const [draft, setDraft] = useState(() => treeOf(url.filter));
  const [draftOf, setDraftOf] = useState(url.q);
  if (draftOf !== url.q) {
    setDraftOf(url.q);
    setDraft(treeOf(url.filter));
  }

  const [checked, setChecked] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  // A new dialog (empty fields) for each save; kept mounted while closing so focus returns.
  const [saveRound, setSaveRound] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const problems = useMemo(() => draftProblems(draft), [draft]);
  const draftFilter = treeToFilter(draft);
  const changed = encodeFilter(draftFilter) !== url.q;

  useEffect(() => {
    // After a refused run, the first field at fault takes the focus.
    if (attempt) formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [attempt]);

  const readyToRun = () => {
    setChecked(true);
    if (problems.size) {
      setAttempt((n) => n + 1);
      return false;
    }
    return true;
  };

  const runDraft = (savedId?: string) => {
    forgetCursors();
    setDraftOf(encodeFilter(draftFilter));
    url.run(draftFilter, savedId);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (readyToRun()) runDraft();
  };

  const query = useMemo<RunQuery>(
    () => ({ filter: committed, sort: url.sort, columns: url.columns }),
    [committed, url.sort, url.columns],
  );
  const showResults = url.ran && url.filter !== "invalid";
  const total = useResultTotal(committed, showResults);

  return (
    <Page title={t("shell.nav.finder")}>
      {url.filter === "invalid" ? (
        <p className="alert alert-warning" role="alert">
          {t("finder.invalidLink")}
        </p>
      ) : null}
      <div className="finder-layout">
        <section className="card finder-builder" aria-labelledby="finder-builder-title">
          <h2 id="finder-builder-title">{t("finder.builder.title")}</h2>
          <OpenSavedSearch savedId={url.savedId} draftFilter={draftFilter} query={query} />
          <form ref={formRef} onSubmit={submit} noValidate>
            <FilterBuilder
              tree={draft}
              problems={checked ? problems : new Map()}
              onChange={setDraft}
            />
            {checked && problems.size ? (
              <p className="alert alert-error" role="alert">
                {t("finder.builder.problems", { count: problems.size })}
              </p>
            ) : null}
            <div className="form-actions finder-buttons">
              <button type="submit" className="btn btn-primary">
                {t("finder.builder.run")}
              </button>
              <SaveAsButton
                onClick={() => {
                  if (!readyToRun()) return;
                  setSaveRound((n) => n + 1);
                  setSaving(true);
                }}
              />
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setChecked(false);
                  setDraft(emptyTree());
                }}
              >
                {t("finder.builder.clear")}
              </button>
            </div>
          </form>
        </section>
        <SavedSearches
          openId={url.savedId}
          onDeleted={(id) => {
            if (id === url.savedId) url.setSaved(null);
          }}
        />
      </div>
      {saveRound ? (
        <SaveSearchDialog
          key={saveRound}
          open={saving}
          query={{ ...(draftFilter ? { filter: draftFilter } : {}), sort: url.sort, columns: url.columns }}
          onClose={() => setSaving(false)}
          onSaved={(saved) => {
            setSaving(false);
            runDraft(saved.id);
          }}
        />
      ) : null}
      {showResults ? (
        <section className="finder-results" aria-labelledby="finder-results-title">
          <div className="finder-results-head">
            <h2 id="finder-results-title">{t("finder.results.title")}</h2>
            <p className="finder-total" role="status">
              {total.data === undefined
                ? t("finder.results.counting")
                : total.data === 1
                  ? t("finder.results.one")
                  : t("finder.results.many", { count: number(total.data) })}
            </p>
            {changed ? <p className="finder-muted">{t("finder.results.stale")}</p> : null}
          </div>
          <ProblemAlert error={total.error} />
          <div className="toolbar finder-toolbar">
            <ColumnChooser columns={url.columns} onChange={url.setColumns} />
            <ExportActions query={query} />
          </div>
          <BulkGroupAction query={query} total={total.data} />
          <InviteMatches query={query} total={total.data} />
          <LettersForMatches query={query} total={total.data} />
          <ResultsTable query={query} list={url.list} total={total.data} />
        </section>
      ) : null}
    </Page>
  );
}

function SaveAsButton({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can("POST", "/contacts/saved-searches")) return null;
  return (
    <button type="button" className="btn" onClick={onClick}>
      {t("finder.builder.saveAs")}
    </button>
  );
}

/** The saved search the page shows, and (for its owner) saving the changes into it. */
function OpenSavedSearch(props: {
  savedId: string | null;
  draftFilter: ApiFilter | undefined;
  query: RunQuery;
}) {
  const { t } = useI18n();
  const saved = useSavedSearches();
  const mayChange = useMayChange();
  const queryClient = useQueryClient();
  const open = saved.data?.items.find((item) => item.id === props.savedId);
  const current = {
    ...(props.draftFilter ? { filter: props.draftFilter } : {}),
    sort: props.query.sort,
    columns: props.query.columns,
  };
  const update = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.PATCH("/api/v1/contacts/saved-searches/{search_id}", {
          params: { path: { search_id: id } },
          body: { query: current },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SAVED_KEY }),
  });
  if (!open) return null;
  const changed = !sameQuery(open.query, current);
  return (
    <div className="finder-open-saved">
      <p>
        {t("finder.builder.openSaved", { name: open.name })}{" "}
        {changed && mayChange(open) ? (
          <button
            type="button"
            className="btn btn-link"
            disabled={update.isPending}
            onClick={() => update.mutate(open.id)}
          >
            {t("finder.builder.updateSaved")}
          </button>
        ) : null}
      </p>
      {update.isSuccess ? (
        <p className="finder-muted" role="status">
          {t("finder.builder.updatedSaved")}
        </p>
      ) : null}
      <ProblemAlert error={update.error} />
    </div>
  );
}
