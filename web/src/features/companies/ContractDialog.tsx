// Add a contract to a company or change one: kind, status, period, amount (exact decimals, in
// Belgian or English notation) and a note, with the API's field errors at the fields.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { FormActions } from "../../ui/FormActions";
import { ProblemAlert } from "../../ui/Problem";
import { alertErrorOf, fieldErrorsOf } from "../../ui/tagged";
import { today } from "../../ui/today";
import {
  CONTRACT_KINDS,
  CONTRACT_STATUSES,
  companyKeys,
  decimalInput,
  type Contract,
  type ContractKind,
  type ContractStatus,
} from "./companyApi";

interface ContractDialogProps {
  companyId: string;
  /** The contract to change; none to add one. */
  contract: Contract | undefined;
  open: boolean;
  onClose: () => void;
}

export function ContractDialog({ companyId, contract, open, onClose }: ContractDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      title={contract ? t("companies.contracts.editTitle") : t("companies.contracts.addTitle")}
      onClose={onClose}
    >
      {open ? <ContractForm companyId={companyId} contract={contract} onDone={onClose} /> : null}
    </Dialog>
  );
}

function ContractForm({
  companyId,
  contract,
  onDone,
}: {
  companyId: string;
  contract: Contract | undefined;
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ContractKind>((contract?.kind as ContractKind) ?? "sponsorship");
  const [status, setStatus] = useState<ContractStatus>(
    (contract?.status as ContractStatus) ?? "draft",
  );
  const [start, setStart] = useState(contract?.start_date ?? today());
  const [end, setEnd] = useState(contract?.end_date ?? "");
  const [amount, setAmount] = useState(
    contract ? (locale === "nl" ? contract.amount.replace(".", ",") : contract.amount) : "",
  );
  const [currency, setCurrency] = useState(contract?.currency ?? "EUR");
  const [note, setNote] = useState(contract?.note ?? "");

  const save = useMutation({
    mutationFn: () => {
      const body = {
        kind,
        status,
        start_date: start,
        end_date: end || null,
        amount: decimalInput(amount),
        currency: currency.trim().toUpperCase(),
        note,
      };
      if (!contract) {
        return unwrap(
          api.POST("/api/v1/contacts/companies/{company_id}/contracts", {
            params: { path: { company_id: companyId } },
            body,
          }),
        );
      }
      return unwrap(
        api.PATCH("/api/v1/contacts/companies/{company_id}/contracts/{contract_id}", {
          params: { path: { company_id: companyId, contract_id: contract.id } },
          body,
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ProblemAlert error={alertErrorOf(save.error)} />
      <div className="form-grid">
        <Field label={t("companies.contracts.kind")} error={errors.kind}>
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(event) => setKind(event.target.value as ContractKind)}
            >
              {CONTRACT_KINDS.map((option) => (
                <option key={option} value={option}>
                  {t(`companies.kind.${option}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("companies.contracts.status")} error={errors.status}>
          {(control) => (
            <select
              {...control}
              value={status}
              onChange={(event) => setStatus(event.target.value as ContractStatus)}
            >
              {CONTRACT_STATUSES.map((option) => (
                <option key={option} value={option}>
                  {t(`companies.status.${option}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("companies.contracts.start")} error={errors.start_date} required>
          {(control) => (
            <input
              {...control}
              type="date"
              required
              value={start}
              onChange={(event) => setStart(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("companies.contracts.endDate")}
          error={errors.end_date}
          hint={t("companies.contracts.endHint")}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={end}
              onChange={(event) => setEnd(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("companies.contracts.amount")}
          error={errors.amount}
          hint={t("companies.contracts.amountHint")}
          required
        >
          {(control) => (
            <input
              {...control}
              inputMode="decimal"
              required
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("companies.contracts.currency")} error={errors.currency}>
          {(control) => (
            <input
              {...control}
              maxLength={3}
              value={currency}
              onChange={(event) => setCurrency(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t("companies.contracts.note")} error={errors.note}>
        {(control) => (
          <textarea {...control} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
        )}
      </Field>
      <FormActions busy={save.isPending} onCancel={onDone} />
    </form>
  );
}
