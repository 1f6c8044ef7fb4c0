// Add every match (all N, not only the page) to a group, or remove them from it: a group
// chosen, a confirmation naming N and the group, a busy state while the API walks the result
// list (it answers when done, with counts), then what happened.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useGroups, type RunQuery } from "./finderApi";

type Action = "add" | "remove";
// Above this many matches the person types the number to confirm.
const TYPED_CONFIRMATION_FROM = 100;

const PATHS = {
  add: "/api/v1/contacts/contacts/query/add-to-group",
  remove: "/api/v1/contacts/contacts/query/remove-from-group",
} as const;

export function BulkGroupAction({ query, total }: { query: RunQuery; total: number | undefined }) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const groups = useGroups();
  const [groupId, setGroupId] = useState("");
  const [asking, setAsking] = useState<Action | null>(null);
  const statusId = useId();
  const mayAdd = can("POST", "/contacts/contacts/query/add-to-group");
  const mayRemove = can("POST", "/contacts/contacts/query/remove-from-group");

  const batch = useMutation({
    mutationFn: ({ action, group }: { action: Action; group: string }) =>
      unwrap(
        api.POST(PATHS[action], {
          body: {
            group_id: group,
            query: {
              ...(query.filter ? { filter: query.filter } : {}),
              sort: query.sort,
              columns: ["id"],
            },
          },
        }),
      ),
    onSuccess: () => {
      setAsking(null);
      // Group memberships changed: results showing groups, group member lists, profiles.
      void queryClient.invalidateQueries();
    },
  });

  if (!mayAdd && !mayRemove) return null;
  const group = groups.data?.items.find((item) => item.id === groupId);
  const ready = Boolean(group) && total !== undefined && total > 0;
  const count = total ?? 0;
  const names = { count: number(count), group: group?.name ?? "" };
  const done = batch.data && batch.variables;

  const ask = (action: Action) => {
    batch.reset();
    setAsking(action);
  };

  return (
    <section className="finder-bulk" aria-labelledby={`${statusId}-title`}>
      <h3 id={`${statusId}-title`}>{t("finder.bulk.title", { count: number(count) })}</h3>
      <div className="toolbar">
        <Field label={t("finder.bulk.group")}>
          {(control) => (
            <select {...control} value={groupId} onChange={(event) => setGroupId(event.target.value)}>
              <option value="">{t("finder.bulk.chooseGroup")}</option>
              {(groups.data?.items ?? []).map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {mayAdd ? (
          <button type="button" className="btn" disabled={!ready} onClick={() => ask("add")}>
            {t("finder.bulk.add", { count: number(count) })}
          </button>
        ) : null}
        {mayRemove ? (
          <button type="button" className="btn" disabled={!ready} onClick={() => ask("remove")}>
            {t("finder.bulk.remove", { count: number(count) })}
          </button>
        ) : null}
      </div>
      <div role="status" id={statusId}>
        {done && !asking ? (
          <p className="alert alert-success">
            {t(done.action === "add" ? "finder.bulk.addedResult" : "finder.bulk.removedResult", {
              matched: number(batch.data.matched),
              changed: number(batch.data.changed),
              unchanged: number(batch.data.unchanged),
              group: groups.data?.items.find((item) => item.id === done.group)?.name ?? "",
            })}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={asking === "remove" ? t("finder.bulk.removeTitle") : t("finder.bulk.addTitle")}
        message={
          <>
            <p>
              {asking === "remove"
                ? t("finder.bulk.removeQuestion", names)
                : t("finder.bulk.addQuestion", names)}
            </p>
            {batch.isPending ? (
              <div className="progress" role="status">
                <label>
                  {t("finder.bulk.busy", names)}
                  <progress />
                </label>
              </div>
            ) : null}
            <ProblemAlert error={batch.error} />
          </>
        }
        confirmLabel={
          asking === "remove"
            ? t("finder.bulk.confirmRemove", { count: number(count) })
            : t("finder.bulk.confirmAdd", { count: number(count) })
        }
        danger={asking === "remove"}
        typedConfirmation={count >= TYPED_CONFIRMATION_FROM ? String(count) : undefined}
        busy={batch.isPending}
        onConfirm={() => {
          if (asking && groupId) batch.mutate({ action: asking, group: groupId });
        }}
        // Closing while it runs leaves the work to finish; its result shows below then.
        onCancel={() => setAsking(null)}
      />
    </section>
  );
}
