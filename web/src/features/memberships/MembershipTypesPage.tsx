// /membership-types — the club's membership types (paged, archived ones on request), each with
// its fee today, and creating one with its first fee.
import type { ColumnDef } from "@tanstack/react-table";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Dialog } from "../../ui/Dialog";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useMembershipLabels } from "./labels";
import {
  feeOn,
  isoToday,
  useCreateType,
  useTypeList,
  type MembershipType,
} from "./membershipApi";
import { FeeFields, amountOf, type FeeDraft } from "./FeeFields";
import { EMPTY_DRAFT, TypeFields, bodyOf, draftIsSendable, type TypeDraft } from "./TypeFields";
import "./memberships.css";

export default function MembershipTypesPage() {
  const { t, money } = useI18n();
  const { can } = useAuth();
  const labels = useMembershipLabels();
  const navigate = useNavigate();
  const params = useListParams();
  const showArchived = params.filter("archived") === "1";
  const types = useTypeList(showArchived, params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);
  const today = isoToday();

  const columns: ColumnDef<MembershipType, unknown>[] = [
    {
      id: "name",
      header: t("memberships.type.name"),
      cell: ({ row }) => (
        <>
          <Link to={`/membership-types/${row.original.id}`}>{row.original.name}</Link>
          {row.original.archived ? (
            <span className="badge ms-after">{t("memberships.type.archived")}</span>
          ) : null}
        </>
      ),
    },
    {
      id: "fee",
      header: t("memberships.types.feeToday"),
      cell: ({ row }) => {
        const fee = feeOn(row.original.fee_versions, today);
        return fee ? money(fee.amount, fee.currency) : "—";
      },
    },
    {
      id: "billing",
      header: t("memberships.type.billingPeriod"),
      cell: ({ row }) => labels.billing(row.original.billing_period),
    },
    {
      id: "term",
      header: t("memberships.type.termKind"),
      cell: ({ row }) => labels.term(row.original),
    },
    {
      id: "rights",
      header: t("memberships.type.rights"),
      cell: ({ row }) =>
        row.original.rights.length ? (
          <span className="ms-codes">
            {row.original.rights.map((right) => (
              <code key={right}>{right}</code>
            ))}
          </span>
        ) : (
          "—"
        ),
    },
  ];

  return (
    <Page
      title={t("memberships.types.title")}
      actions={
        can("POST", "/memberships/membership-types") ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t("memberships.types.create")}
          </button>
        ) : null
      }
    >
      <div className="toolbar">
        <label className="ms-inline-check">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(event) => params.setFilter("archived", event.target.checked ? "1" : "")}
          />{" "}
          {t("memberships.types.showArchived")}
        </label>
      </div>
      <ProblemAlert error={types.error} />
      <DataTable
        columns={columns}
        rows={types.data?.items ?? []}
        total={types.data?.total ?? 0}
        params={params}
        caption={t("memberships.types.title")}
        busy={types.isFetching}
      />
      <CreateTypeDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(type) => void navigate(`/membership-types/${type.id}`)}
      />
    </Page>
  );
}

function CreateTypeDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (type: MembershipType) => void;
}) {
  const { t } = useI18n();
  const create = useCreateType();
  const [draft, setDraft] = useState<TypeDraft>(EMPTY_DRAFT);
  const [fee, setFee] = useState<FeeDraft>({ amount: "", valid_from: isoToday(), currency: "EUR" });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  const close = () => {
    setDraft(EMPTY_DRAFT);
    setFee({ amount: "", valid_from: isoToday(), currency: "EUR" });
    create.reset();
    props.onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { ...bodyOf(draft), fee: { ...fee, amount: amountOf(fee.amount) } },
      {
        onSuccess: (type) => {
          close();
          props.onCreated(type);
        },
      },
    );
  };

  return (
    <Dialog open={props.open} title={t("memberships.types.create")} onClose={close} wide>
      <form className="form" onSubmit={submit} noValidate>
        <TypeFields draft={draft} onChange={setDraft} errors={errors} />
        <fieldset className="ms-fieldset">
          <legend>{t("memberships.fee.first")}</legend>
          <FeeFields fee={fee} onChange={setFee} errors={errors} prefix="fee." />
        </fieldset>
        <ProblemAlert error={create.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending || !draftIsSendable(draft) || !fee.amount}
          >
            {create.isPending ? t("common.saving") : t("memberships.types.createSubmit")}
          </button>
          <button type="button" className="btn" onClick={close}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
