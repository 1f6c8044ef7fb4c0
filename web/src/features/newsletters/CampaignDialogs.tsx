// The campaign page's dialogs: a test mail to any address (optionally filled in as a chosen
// contact), and scheduling the send for a moment in the browser's time zone.
import { useEffect, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useSchedule, useSendTest } from "./newslettersApi";

export function TestMailDialog(props: { open: boolean; campaignId: string; onClose: () => void; onSent: (email: string) => void }) {
  const { t } = useI18n();
  const send = useSendTest(props.campaignId);
  const [email, setEmail] = useState("");
  const [as, setAs] = useState<{ id: string; name: string } | null>(null);
  const errors = send.error instanceof ApiError ? send.error.fieldErrors() : {};

  useEffect(() => {
    if (props.open) send.reset();
    // Only when it opens.
  }, [props.open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate(
      { email: email.trim(), contact_id: as?.id ?? null },
      { onSuccess: () => props.onSent(email.trim()) },
    );
  };

  return (
    <Dialog open={props.open} title={t("newsletters.test.title")} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {send.error && !errors.email ? <ProblemAlert error={send.error} /> : null}
        <Field label={t("newsletters.test.email")} error={errors.email} required>
          {(control) => (
            <input
              {...control}
              type="email"
              value={email}
              autoComplete="email"
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <ContactPicker
          label={t("newsletters.test.as")}
          onPick={(contact) => setAs({ id: contact.id, name: contactName(contact) })}
        />
        <p className="nl-muted">
          {as ? t("newsletters.test.asChosen", { name: as.name }) : t("newsletters.test.asNobody")}{" "}
          {as ? (
            <button type="button" className="btn-link" onClick={() => setAs(null)}>
              {t("common.remove")}
            </button>
          ) : null}
        </p>
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={send.isPending || !email.trim()}>
            {send.isPending ? t("newsletters.test.sending") : t("newsletters.test.send")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Now plus an hour, as a datetime-local value (the browser's own time). */
function inAnHour(): string {
  const at = new Date(Date.now() + 3_600_000);
  at.setSeconds(0, 0);
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function ScheduleDialog(props: {
  open: boolean;
  campaignId: string;
  audience: number | undefined;
  onClose: () => void;
  onScheduled: () => void;
}) {
  const { t, number } = useI18n();
  const schedule = useSchedule(props.campaignId);
  const [when, setWhen] = useState(inAnHour);
  const errors = schedule.error instanceof ApiError ? schedule.error.fieldErrors() : {};
  const moment = when ? new Date(when) : null;
  const past = moment !== null && moment.getTime() <= Date.now();

  useEffect(() => {
    if (props.open) {
      setWhen(inAnHour());
      schedule.reset();
    }
  }, [props.open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!moment || past) return;
    // datetime-local is the browser's time; the service wants a moment with its offset.
    schedule.mutate(moment.toISOString(), { onSuccess: props.onScheduled });
  };

  return (
    <Dialog open={props.open} title={t("newsletters.schedule.title")} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {schedule.error && !errors.send_at ? <ProblemAlert error={schedule.error} /> : null}
        <Field
          label={t("newsletters.schedule.when")}
          error={errors.send_at ?? (past ? t("newsletters.schedule.past") : undefined)}
          required
        >
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={when}
              onChange={(event) => setWhen(event.target.value)}
            />
          )}
        </Field>
        {props.audience !== undefined ? (
          <p>{t("newsletters.schedule.audience", { count: number(props.audience) })}</p>
        ) : null}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={schedule.isPending || !moment || past}>
            {t("newsletters.schedule.submit")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
