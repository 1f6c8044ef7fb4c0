// A contact's invitations to the members' portal, for the contact profile: each with its state,
// and (for staff who may invite) inviting, inviting again and revoking the open one.
import { useId, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  useContactInvitations,
  useInvite,
  useRevokeInvitation,
  type Invitation,
} from "./invitationApi";
import { inviteRefusal, revokedReasonLabel, STATE_BADGE, STATE_LABEL } from "./labels";
import "./invitations.css";

export function InvitationPanel({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const headingId = useId();
  const invitations = useContactInvitations(contactId);
  const mayInvite = can("POST", "/invitations");
  const items = invitations.data?.items ?? [];
  return (
    <section className="card invitation-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("invitations.panel.heading")}</h2>
      {invitations.isPending ? <Loading /> : null}
      <ProblemAlert error={invitations.error} />
      {invitations.isSuccess && items.length === 0 ? <p>{t("invitations.panel.none")}</p> : null}
      {items.length ? (
        <InvitationList
          items={items}
          contactId={contactId}
          mayRevoke={can("DELETE", "/invitations/{invitation_id}")}
        />
      ) : null}
      {mayInvite && invitations.isSuccess ? (
        <InviteForm contactId={contactId} again={items.length > 0} />
      ) : null}
    </section>
  );
}

function InvitationList(props: { items: Invitation[]; contactId: string; mayRevoke: boolean }) {
  const { t } = useI18n();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const revoke = useRevokeInvitation(props.contactId);
  return (
    <>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{t("invitations.panel.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("invitations.column.state")}</th>
              <th scope="col">{t("invitations.column.email")}</th>
              <th scope="col">{t("invitations.column.sent")}</th>
              <th scope="col">{t("invitations.column.detail")}</th>
              {props.mayRevoke ? (
                <th scope="col">
                  <span className="visually-hidden">{t("invitations.column.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {props.items.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                mayRevoke={props.mayRevoke}
                onRevoke={() => setRevoking(invitation)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {/* Only a failed revoke is shown here; the list itself shows a successful one. */}
      {revoke.error && !revoking ? <ProblemAlert error={revoke.error} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        title={t("invitations.revoke.title")}
        message={
          <>
            <p>{t("invitations.revoke.body", { email: revoking?.email ?? "" })}</p>
            <ProblemAlert error={revoke.error} />
          </>
        }
        confirmLabel={t("invitations.revoke.confirm")}
        danger
        busy={revoke.isPending}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) });
        }}
        onCancel={() => {
          revoke.reset();
          setRevoking(null);
        }}
      />
    </>
  );
}

function InvitationRow(props: { invitation: Invitation; mayRevoke: boolean; onRevoke: () => void }) {
  const { t, dateTime } = useI18n();
  const { invitation } = props;
  return (
    <tr>
      <td>
        <span className={STATE_BADGE[invitation.state]}>{t(STATE_LABEL[invitation.state])}</span>
      </td>
      <td className="invitation-email">{invitation.email}</td>
      <td>{dateTime(invitation.created_at)}</td>
      <td>
        <InvitationDetail invitation={invitation} />
      </td>
      {props.mayRevoke ? (
        <td>
          {invitation.state === "open" ? (
            <button
              type="button"
              className="btn"
              aria-label={t("invitations.revoke.named", { email: invitation.email })}
              onClick={props.onRevoke}
            >
              {t("invitations.revoke.button")}
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function InvitationDetail({ invitation }: { invitation: Invitation }) {
  const { t, dateTime } = useI18n();
  switch (invitation.state) {
    case "open":
      return <>{t("invitations.detail.validUntil", { date: dateTime(invitation.expires_at) })}</>;
    case "accepted":
      return <>{t("invitations.detail.acceptedOn", { date: dateTime(invitation.accepted_at) })}</>;
    case "expired":
      return <>{t("invitations.detail.expiredOn", { date: dateTime(invitation.expires_at) })}</>;
    default:
      return (
        <>
          {t("invitations.detail.revokedOn", {
            date: dateTime(invitation.revoked_at),
            reason: revokedReasonLabel(t, invitation.revoked_reason),
          })}
        </>
      );
  }
}

function InviteForm({ contactId, again }: { contactId: string; again: boolean }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const invite = useInvite(contactId);
  const fieldError =
    invite.error instanceof ApiError ? invite.error.fieldErrors().email : undefined;
  const refusal = inviteRefusal(t, invite.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(email, { onSuccess: () => setEmail("") });
  };
  return (
    <form className="invite-form" onSubmit={submit} noValidate>
      <Field
        label={t("invitations.form.email")}
        hint={t("invitations.form.emailHint")}
        error={fieldError ? t("invitations.form.emailInvalid") : undefined}
      >
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      {refusal ? (
        <p className="alert alert-error" role="alert">
          {refusal}
        </p>
      ) : fieldError ? null : (
        <ProblemAlert error={invite.error} />
      )}
      {invite.isSuccess ? (
        <p className="alert alert-success" role="status">
          {t("invitations.form.sent", { email: invite.data.email })}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
          {invite.isPending
            ? t("invitations.form.sending")
            : again
              ? t("invitations.form.inviteAgain")
              : t("invitations.form.invite")}
        </button>
      </div>
    </form>
  );
}

export default InvitationPanel;
