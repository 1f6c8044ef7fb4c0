// A direct debit collection of the open invoices (optionally only those due before a day)
// on a collection day after today: the invoices it took with FRST/RCUR, those it skipped and
// why, and its pain.008 file to hand to the bank.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { download } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { EmptyRow } from "../../ui/EmptyRow";
import { Field } from "../../ui/Field";
import { Pager, usePaging } from "../../ui/Pager";
import { ProblemAlert } from "../../ui/Problem";
import { useCreateCollection, type Collection } from "./billingApi";
import { codeLabel, isoToday } from "./labels";

const PAGE_SIZES = [50, 100, 250] as const;

export function CollectionSection() {
  const { t } = useI18n();
  const create = useCreateCollection();
  const [collectionDate, setCollectionDate] = useState(isoToday(5));
  const [dueBefore, setDueBefore] = useState("");
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ collection_date: collectionDate, due_before: dueBefore || null });
  };
  return (
    <section className="card" aria-labelledby="sepa-collection">
      <h2 id="sepa-collection">{t("billing.collection.title")}</h2>
      <p className="field-hint">{t("billing.collection.intro")}</p>
      <form onSubmit={submit} noValidate className="toolbar">
        <Field
          label={t("billing.collection.date")}
          hint={t("billing.collection.dateHint")}
          error={errors.collection_date}
          required
        >
          {(control) => (
            <input
              {...control}
              type="date"
              min={isoToday(1)}
              value={collectionDate}
              onChange={(event) => setCollectionDate(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("billing.collection.dueBefore")} error={errors.due_before}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={dueBefore}
              onChange={(event) => setDueBefore(event.target.value)}
            />
          )}
        </Field>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.isPending || !collectionDate}
        >
          {create.isPending ? t("billing.collection.making") : t("billing.collection.make")}
        </button>
      </form>
      {create.error && !Object.keys(errors).length ? <ProblemAlert error={create.error} /> : null}
      {create.data ? <CollectionResult collection={create.data} /> : null}
    </section>
  );
}

function CollectionResult({ collection }: { collection: Collection }) {
  const { t, date, money, number } = useI18n();
  const { can } = useAuth();
  const [error, setError] = useState<unknown>(null);
  // A federation's collection holds thousands of invoices: a page of them at a time.
  const [find, setFind] = useState("");
  const included = usePaging(foundItems(collection.included, find));
  const skipped = usePaging(foundItems(collection.skipped, find));
  const save = () => {
    setError(null);
    download(
      `/api/v1/billing/collections/${collection.id}/pain008.xml`,
      `pain008-${collection.collection_date}.xml`,
    ).catch(setError);
  };
  return (
    <div className="collection-result">
      <p className="alert alert-success" role="status">
        {t("billing.collection.made", {
          count: number(collection.transaction_count),
          total: money(collection.control_sum),
          date: date(collection.collection_date),
        })}
      </p>
      {can("GET", "/billing/collections/{collection_id}/pain008.xml") ? (
        <p>
          <button type="button" className="btn btn-primary" onClick={save}>
            {t("billing.collection.download")}
          </button>
        </p>
      ) : null}
      <ProblemAlert error={error} />
      <div className="toolbar">
        <Field label={t("billing.collection.find")}>
          {(control) => (
            <input
              {...control}
              type="search"
              value={find}
              onChange={(event) => setFind(event.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="table-wrap">
        <table className="data-table">
          <caption>{t("billing.collection.included")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("billing.invoice.number")}</th>
              <th scope="col" className="num">{t("billing.collection.amount")}</th>
              <th scope="col">{t("billing.mandate.reference")}</th>
              <th scope="col">{t("billing.mandate.sequence")}</th>
            </tr>
          </thead>
          <tbody>
            {included.shown.map((item) => (
              <tr key={item.invoice_id}>
                <td>
                  <Link to={`/invoices/${item.invoice_id}`}>{item.number}</Link>
                </td>
                <td className="num">{money(item.amount)}</td>
                <td>{item.mandate_reference}</td>
                <td>{item.sequence_type}</td>
              </tr>
            ))}
            {included.shown.length ? null : <EmptyRow columns={4} />}
          </tbody>
        </table>
        {collection.included.length > PAGE_SIZES[0] ? (
          <Pager params={included.paging} total={included.total} sizes={PAGE_SIZES} />
        ) : null}
      </div>
      {collection.skipped.length ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t("billing.collection.skipped")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("billing.invoice.number")}</th>
                <th scope="col">{t("billing.skips.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {skipped.shown.map((item) => (
                <tr key={item.invoice_id}>
                  <td>
                    <Link to={`/invoices/${item.invoice_id}`}>{item.number ?? item.invoice_id}</Link>
                  </td>
                  <td title={item.reason}>
                    {item.code ? codeLabel(t, "collectionSkip", item.code) : item.reason}
                  </td>
                </tr>
              ))}
              {skipped.shown.length ? null : <EmptyRow columns={2} />}
            </tbody>
          </table>
          {collection.skipped.length > PAGE_SIZES[0] ? (
            <Pager params={skipped.paging} total={skipped.total} sizes={PAGE_SIZES} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The invoices whose number (or mandate reference) holds `text`. */
function foundItems<Item extends { number: string | null; mandate_reference?: string }>(
  items: Item[],
  text: string,
) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return items;
  return items.filter((item) =>
    [item.number, item.mandate_reference].some((value) => value?.toLowerCase().includes(wanted)),
  );
}
