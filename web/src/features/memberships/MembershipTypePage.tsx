// /membership-types/:typeId — one type: what it holds, its fee versions on a timeline (a new rate
// from a date, never rewriting an old one), editing with If-Match, archiving.
import { useState } from "react";
import { useParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { EditTypeDialog } from "./EditTypeDialog";
import { FeeTimeline } from "./FeeTimeline";
import { useMembershipLabels } from "./labels";
import { useChangeType, useMembershipType, type MembershipType } from "./membershipApi";
import "./memberships.css";

export default function MembershipTypePage() {
  const { t } = useI18n();
  const { typeId = "" } = useParams();
  const type = useMembershipType(typeId);
  if (type.data) return <TypeView type={type.data.type} etag={type.data.etag} />;
  if (type.isPending) return <Loading />;
  return (
    <Page title={t("memberships.types.title")}>
      <ProblemAlert error={type.error} />
    </Page>
  );
}

function TypeView({ type, etag }: { type: MembershipType; etag: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState<"edit" | "archive" | null>(null);
  const archive = useChangeType(type.id);
  const mayEdit = can("PATCH", "/memberships/membership-types/{type_id}");

  const closeArchive = () => {
    setOpen(null);
    archive.reset();
  };

  return (
    <Page
      title={type.name}
      actions={
        mayEdit ? (
          <>
            <button type="button" className="btn" onClick={() => setOpen("edit")}>
              {t("common.edit")}
            </button>
            <button type="button" className="btn" onClick={() => setOpen("archive")}>
              {type.archived ? t("memberships.type.unarchive") : t("memberships.type.archive")}
            </button>
          </>
        ) : null
      }
    >
      {type.archived ? (
        <p className="alert alert-warning">{t("memberships.type.archivedNote")}</p>
      ) : null}
      <div className="ms-columns">
        <TypeDetails type={type} />
        <FeeTimeline type={type} />
      </div>
      <EditTypeDialog open={open === "edit"} type={type} etag={etag} onClose={() => setOpen(null)} />
      <ConfirmDialog
        open={open === "archive"}
        title={type.archived ? t("memberships.type.unarchive") : t("memberships.type.archive")}
        message={
          <>
            <p>
              {type.archived
                ? t("memberships.type.unarchiveBody", { name: type.name })
                : t("memberships.type.archiveBody", { name: type.name })}
            </p>
            <ProblemAlert error={archive.error} />
          </>
        }
        confirmLabel={type.archived ? t("memberships.type.unarchive") : t("memberships.type.archive")}
        busy={archive.isPending}
        onConfirm={() =>
          archive.mutate(
            { change: { archived: !type.archived }, etag },
            { onSuccess: closeArchive },
          )
        }
        onCancel={closeArchive}
      />
    </Page>
  );
}

function TypeDetails({ type }: { type: MembershipType }) {
  const { t, dateTime } = useI18n();
  const labels = useMembershipLabels();
  return (
    <section className="card ms-card" aria-labelledby="ms-type-details">
      <h2 id="ms-type-details">{t("memberships.type.details")}</h2>
      {type.description ? <p className="ms-description">{type.description}</p> : null}
      <dl className="details ms-details">
        <dt>{t("memberships.type.billingPeriod")}</dt>
        <dd>{labels.billing(type.billing_period)}</dd>
        <dt>{t("memberships.type.periodStart")}</dt>
        <dd>{labels.periodStart(type)}</dd>
        <dt>{t("memberships.type.termKind")}</dt>
        <dd>{labels.term(type)}</dd>
        <dt>{t("memberships.type.proRataShort")}</dt>
        <dd>{type.pro_rata ? t("common.yes") : t("common.no")}</dd>
        <dt>{t("memberships.type.refundShort")}</dt>
        <dd>{type.refund_on_early_end ? t("common.yes") : t("common.no")}</dd>
        <dt>{t("memberships.type.rights")}</dt>
        <dd>
          {type.rights.length ? (
            <span className="ms-codes">
              {type.rights.map((right) => (
                <code key={right}>{right}</code>
              ))}
            </span>
          ) : (
            t("memberships.type.noRights")
          )}
        </dd>
        <dt>{t("memberships.type.created")}</dt>
        <dd>{dateTime(type.created_at)}</dd>
      </dl>
    </section>
  );
}
