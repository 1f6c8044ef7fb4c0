// A list's active subscribers, paged on the server (page and size in the URL). Group members
// arrive through events, so the list looks again every few seconds. Staff may subscribe a
// contact by hand, end a manual subscription, or record a contact's opt-out (which group
// changes never lift; only the contact's opt-in, from their subscriptions, does).
import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { DataTable } from "../../ui/DataTable";
import { ConfirmDialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { codeLabel } from "./labels";
import {
  useAddSubscriber,
  useOptOut,
  useRemoveSubscriber,
  useSubscribers,
  type MailingList,
  type Subscriber,
} from "./newslettersApi";

type Pending = { kind: "optOut" | "remove"; subscriber: Subscriber } | null;

export function SubscribersCard({ list }: { list: MailingList }) {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const subscribers = useSubscribers(list.id, params.offset, params.pageSize);
  const add = useAddSubscriber(list.id);
  const remove = useRemoveSubscriber(list.id);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const optOut = useOptOut(pending?.subscriber.contact_id ?? "");
  const mayAdd = can("POST", "/newsletters/lists/{list_id}/subscribers");
  const mayRemove = can("DELETE", "/newsletters/lists/{list_id}/subscribers/{contact_id}");
  const mayOptOut = can("POST", "/newsletters/contacts/{contact_id}/opt-outs");
  const mayOpenContact = can("GET", "/contacts/{contact_id}/profile");

  const name = (s: Subscriber) => contactName(s) || s.email || s.contact_id;
  const columns: ColumnDef<Subscriber, unknown>[] = [
    {
      id: "name",
      header: t("newsletters.subscribers.name"),
      cell: ({ row }) =>
        mayOpenContact ? (
          <Link to={`/contacts/${row.original.contact_id}`}>{name(row.original)}</Link>
        ) : (
          name(row.original)
        ),
    },
    {
      id: "email",
      header: t("newsletters.subscribers.email"),
      cell: ({ row }) => row.original.email ?? <span className="nl-muted">{t("newsletters.subscribers.noEmail")}</span>,
    },
    {
      id: "source",
      header: t("newsletters.subscribers.source"),
      cell: ({ row }) => codeLabel(t, "source", row.original.source),
    },
    {
      id: "started_at",
      header: t("newsletters.subscribers.since"),
      cell: ({ row }) => date(row.original.started_at),
    },
  ];
  if (mayOptOut || mayRemove) {
    columns.push({
      id: "actions",
      header: t("newsletters.subscribers.actions"),
      cell: ({ row }) => (
        <span className="nl-row-actions">
          {mayOptOut ? (
            <button
              type="button"
              className="btn"
              onClick={() => setPending({ kind: "optOut", subscriber: row.original })}
            >
              {t("newsletters.subscribers.optOut")}
              <span className="visually-hidden"> {name(row.original)}</span>
            </button>
          ) : null}
          {mayRemove && row.original.source === "manual" ? (
            <button
              type="button"
              className="btn"
              onClick={() => setPending({ kind: "remove", subscriber: row.original })}
            >
              {t("newsletters.subscribers.remove")}
              <span className="visually-hidden"> {name(row.original)}</span>
            </button>
          ) : null}
        </span>
      ),
    });
  }

  const confirm = () => {
    if (!pending) return;
    const who = name(pending.subscriber);
    const done = (message: string) => () => {
      setPending(null);
      setNotice(message);
    };
    if (pending.kind === "optOut") {
      optOut.mutate(list.id, { onSuccess: done(t("newsletters.subscribers.optedOut", { name: who })) });
    } else {
      remove.mutate(pending.subscriber.contact_id, {
        onSuccess: done(t("newsletters.subscribers.removed", { name: who })),
      });
    }
  };
  const action = pending?.kind === "optOut" ? optOut : remove;

  return (
    <section className="card nl-card" aria-labelledby="nl-subscribers-heading">
      <h2 id="nl-subscribers-heading">
        {t("newsletters.subscribers.heading")}
        {subscribers.data ? <span className="badge nl-count">{subscribers.data.total}</span> : null}
      </h2>
      <p className="nl-muted">{t("newsletters.subscribers.intro")}</p>
      {mayAdd ? (
        <div className="nl-add-subscriber">
          <ContactPicker
            label={t("newsletters.subscribers.add")}
            onPick={(contact) =>
              add.mutate(contact.id, {
                onSuccess: () => setNotice(t("newsletters.subscribers.added", { name: contactName(contact) })),
              })
            }
          />
          <ProblemAlert error={add.error} />
        </div>
      ) : null}
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <ProblemAlert error={subscribers.error} />
      <DataTable
        columns={columns}
        rows={subscribers.data?.items ?? []}
        total={subscribers.data?.total ?? 0}
        params={params}
        caption={t("newsletters.subscribers.heading")}
        busy={subscribers.isPending}
      />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === "optOut"
            ? t("newsletters.subscribers.optOutTitle", { name: pending ? name(pending.subscriber) : "" })
            : t("newsletters.subscribers.removeTitle", { name: pending ? name(pending.subscriber) : "" })
        }
        message={
          <>
            <p>
              {pending?.kind === "optOut"
                ? t("newsletters.subscribers.optOutBody", { list: list.name })
                : t("newsletters.subscribers.removeBody", { list: list.name })}
            </p>
            <ProblemAlert error={action.error} />
          </>
        }
        confirmLabel={
          pending?.kind === "optOut" ? t("newsletters.subscribers.optOut") : t("newsletters.subscribers.remove")
        }
        danger
        busy={action.isPending}
        onCancel={() => {
          optOut.reset();
          remove.reset();
          setPending(null);
        }}
        onConfirm={confirm}
      />
    </section>
  );
}
