// A company's contracts: kind, period, amount, status; add, change, end (status "ended" from
// today) and delete.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { ConfirmDelete } from "../../ui/RecordPage";
import { today } from "../../ui/today";
import { companyKeys, type Company, type Contract, type ContractStatus } from "./companyApi";
import { ContractDialog } from "./ContractDialog";

const STATUS_BADGE: Record<string, string> = {
  draft: "badge",
  active: "badge badge-ok",
  ended: "badge badge-warn",
  cancelled: "badge badge-danger",
};

export function CompanyContracts({ company }: { company: Company }) {
  const { t, date, money } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Contract | "new" | null>(null);
  const [deleting, setDeleting] = useState<Contract | null>(null);
  const mayAdd = can("POST", "/contacts/companies/{company_id}/contracts");
  const mayChange = can("PATCH", "/contacts/companies/{company_id}/contracts/{contract_id}");
  const mayDelete = can("DELETE", "/contacts/companies/{company_id}/contracts/{contract_id}");
  const path = (contract: Contract) => ({
    params: { path: { company_id: company.id, contract_id: contract.id } },
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: companyKeys.detail(company.id) });

  const end = useMutation({
    mutationFn: (contract: Contract) => {
      const day = today();
      const endDate = contract.end_date && contract.end_date < day ? contract.end_date : day;
      return unwrap(
        api.PATCH("/api/v1/contacts/companies/{company_id}/contracts/{contract_id}", {
          ...path(contract),
          body: { status: "ended", end_date: endDate },
        }),
      );
    },
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (contract: Contract) =>
      unwrap(api.DELETE("/api/v1/contacts/companies/{company_id}/contracts/{contract_id}", path(contract))),
    onSuccess: () => setDeleting(null),
    onSettled: refresh,
  });

  const kindLabel = (kind: string) => t(`companies.kind.${kind as "other"}`);
  const statusLabel = (status: string) => t(`companies.status.${status as ContractStatus}`);
  const showActions = mayChange || mayDelete;

  return (
    <section className="card" aria-labelledby="company-contracts">
      <div className="card-header">
        <h2 id="company-contracts">{t("companies.contracts.title")}</h2>
        {mayAdd ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing("new")}>
            {t("companies.contracts.add")}
          </button>
        ) : null}
      </div>
      <ProblemAlert error={end.error} />
      {company.contracts.length === 0 ? (
        <p>{t("companies.contracts.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("companies.contracts.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("companies.contracts.kind")}</th>
                <th scope="col">{t("companies.contracts.period")}</th>
                <th scope="col">{t("companies.contracts.amount")}</th>
                <th scope="col">{t("companies.contracts.status")}</th>
                <th scope="col">{t("companies.contracts.note")}</th>
                {showActions ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("companies.contracts.actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {company.contracts.map((contract) => {
                const kind = kindLabel(contract.kind);
                const finished = contract.status === "ended" || contract.status === "cancelled";
                return (
                  <tr key={contract.id}>
                    <td>{kind}</td>
                    <td>
                      {contract.end_date
                        ? t("companies.contracts.fromTo", {
                            from: date(contract.start_date),
                            to: date(contract.end_date),
                          })
                        : t("companies.contracts.from", { from: date(contract.start_date) })}
                    </td>
                    <td className="amount">{money(contract.amount, contract.currency)}</td>
                    <td>
                      <span className={STATUS_BADGE[contract.status] ?? "badge"}>
                        {statusLabel(contract.status)}
                      </span>
                    </td>
                    <td className="notes">{contract.note || "—"}</td>
                    {showActions ? (
                      <td>
                        <div className="row-actions">
                        {mayChange ? (
                          <button
                            type="button"
                            className="btn"
                            aria-label={t("companies.contracts.editNamed", { kind })}
                            onClick={() => setEditing(contract)}
                          >
                            {t("common.edit")}
                          </button>
                        ) : null}
                        {mayChange && !finished ? (
                          <button
                            type="button"
                            className="btn"
                            disabled={end.isPending}
                            aria-label={t("companies.contracts.endNamed", { kind })}
                            onClick={() => end.mutate(contract)}
                          >
                            {t("companies.contracts.end")}
                          </button>
                        ) : null}
                        {mayDelete ? (
                          <button
                            type="button"
                            className="btn"
                            aria-label={t("companies.contracts.deleteNamed", { kind })}
                            onClick={() => setDeleting(contract)}
                          >
                            {t("common.delete")}
                          </button>
                        ) : null}
                        </div>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ContractDialog
        companyId={company.id}
        contract={editing === "new" ? undefined : (editing ?? undefined)}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
      <ConfirmDelete
        open={deleting !== null}
        title={t("companies.contracts.deleteTitle")}
        body={
          deleting
            ? t("companies.contracts.deleteBody", {
                kind: kindLabel(deleting.kind),
                from: date(deleting.start_date),
              })
            : null
        }
        action={remove}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
