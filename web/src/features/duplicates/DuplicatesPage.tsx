// /duplicates: the pairs of contacts that may be one person, best score first, side by side;
// merge a pair choosing each field's value, or mark it "not a duplicate" (with an undo).
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { contactName } from "../../ui/ContactPicker";
import { Field } from "../../ui/Field";
import { Loading, Page } from "../../ui/Page";
import { Pager } from "../../ui/Pager";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { DismissedPairs } from "./DismissedPairs";
import { duplicateKeys, useDuplicates, type Contact, type DuplicatePair } from "./duplicatesApi";
import { MergeDialog } from "./MergeDialog";
import { PairCard } from "./PairCard";
import "./duplicates.css";

const MIN_SCORES = [0, 40, 60, 80, 100];

export default function DuplicatesPage() {
  const { t } = useI18n();
  const params = useListParams();
  const minScore = Number(params.filter("min")) || 0;
  const pairs = useDuplicates(minScore, params.pageSize, params.offset);
  const queryClient = useQueryClient();
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const [merged, setMerged] = useState<Contact | null>(null);
  const [dismissed, setDismissed] = useState<DuplicatePair[]>([]);

  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: duplicateKeys.all });
    void queryClient.invalidateQueries({ queryKey: ["contacts"] });
  };

  return (
    <Page title={t("duplicates.title")}>
      <p className="page-intro">{t("duplicates.intro")}</p>
      <div className="toolbar">
        <Field label={t("duplicates.minScore")}>
          {(control) => (
            <select
              {...control}
              value={minScore}
              onChange={(event) =>
                params.setFilter("min", event.target.value === "0" ? "" : event.target.value)
              }
            >
              {MIN_SCORES.map((score) => (
                <option key={score} value={score}>
                  {score === 0 ? t("duplicates.anyScore") : t("duplicates.atLeast", { score })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {merged ? (
        <div className="alert alert-success" role="status">
          {t("duplicates.merged", { name: contactName(merged) })}{" "}
          <Link to={`/contacts/${merged.id}`}>{t("duplicates.openContact")}</Link>
        </div>
      ) : null}
      <DismissedPairs
        pairs={dismissed}
        onUndone={(pair) => {
          setDismissed((all) => all.filter((p) => p !== pair));
          changed();
        }}
      />
      {pairs.isPending ? <Loading /> : null}
      <ProblemAlert error={pairs.error} />
      {pairs.data ? (
        <div aria-busy={pairs.isFetching}>
          {pairs.data.items.length === 0 ? (
            <p className="card empty-note">{t("duplicates.none")}</p>
          ) : (
            <ul className="pair-list" aria-label={t("duplicates.listLabel")}>
              {pairs.data.items.map((pair) => (
                <li key={`${pair.contacts[0].id}-${pair.contacts[1].id}`}>
                  <PairCard
                    pair={pair}
                    onMerge={() => {
                      setMerged(null);
                      setMerging(pair);
                    }}
                    onDismissed={() => {
                      setDismissed((all) => [pair, ...all]);
                      changed();
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
          <Pager params={params} total={pairs.data.total} sizes={[10, 25, 50]} className="card" />
        </div>
      ) : null}
      {merging ? (
        <MergeDialog
          key={`${merging.contacts[0].id}-${merging.contacts[1].id}`}
          pair={merging}
          onClose={() => setMerging(null)}
          onMerged={(survivor) => {
            setMerging(null);
            setMerged(survivor);
            changed();
          }}
        />
      ) : null}
    </Page>
  );
}
