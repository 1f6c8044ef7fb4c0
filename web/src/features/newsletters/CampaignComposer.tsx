// Composing a campaign: subject, body (rich text, sanitized before it is sent) with the
// personalisation fields, and the audience. Saving makes a draft, whose page previews it for a
// recipient, shows the audience's size, sends a test and sends or schedules it. The service has
// no change of a draft: "edit" composes a new draft from the old one and cancels the old one.
import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import {
  AudiencePicker,
  EMPTY_AUDIENCE,
  audienceIsEmpty,
  audienceSpec,
  type AudienceDraft,
} from "./AudiencePicker";
import { useCreateCampaign, type Campaign } from "./newslettersApi";
import { PLACEHOLDER_FIELDS, PlaceholderMenu, placeholder } from "./PlaceholderMenu";
import { RichTextEditor } from "./RichTextEditor";
import { hasText, sanitizeHtml } from "./sanitizeHtml";

const SUBJECT_FIELDS = PLACEHOLDER_FIELDS.filter((field) => field !== "unsubscribe_url");

function audienceOf(campaign: Campaign | undefined): AudienceDraft {
  if (!campaign) return EMPTY_AUDIENCE;
  // Families keep their ids with the id as name until the family list names them.
  return {
    ...EMPTY_AUDIENCE,
    listIds: campaign.audience.list_ids ?? [],
    families: [],
    earlierContactIds: campaign.audience.contact_ids ?? [],
  };
}

export function CampaignComposer({ from }: { from?: Campaign | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const create = useCreateCampaign();
  const [subject, setSubject] = useState(from?.subject ?? "");
  const [html, setHtml] = useState(from ? sanitizeHtml(from.html_body) : "");
  const [audience, setAudience] = useState<AudienceDraft>(() => audienceOf(from));
  const [bodyMissing, setBodyMissing] = useState(false);
  const [audienceMissing, setAudienceMissing] = useState(false);
  const subjectInput = useRef<HTMLInputElement>(null);
  // The earlier draft's families, carried over by id (their names are in the family list).
  const [earlierFamilies] = useState<string[]>(from?.audience.family_ids ?? []);
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  const insertIntoSubject = (field: string) => {
    const input = subjectInput.current;
    const token = placeholder(field as (typeof SUBJECT_FIELDS)[number]);
    const start = input?.selectionStart ?? subject.length;
    const end = input?.selectionEnd ?? subject.length;
    const next = subject.slice(0, start) + token + subject.slice(end);
    setSubject(next);
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = sanitizeHtml(html);
    const spec = audienceSpec(audience);
    spec.family_ids = [...new Set([...(spec.family_ids ?? []), ...earlierFamilies])];
    const noBody = !hasText(body);
    const noAudience = audienceIsEmpty(audience) && earlierFamilies.length === 0;
    setBodyMissing(noBody);
    setAudienceMissing(noAudience);
    if (noBody || noAudience) return;
    create.mutate(
      { subject: subject.trim(), html_body: body, audience: spec },
      {
        onSuccess: async (campaign) => {
          if (from?.status === "draft") {
            // The old draft makes way for the new one; if that fails the old stays a draft.
            await unwrap(
              api.POST("/api/v1/newsletters/campaigns/{campaign_id}/cancel", {
                params: { path: { campaign_id: from.id } },
              }),
            ).catch(() => undefined);
          }
          void navigate(`/campaigns/${campaign.id}`, { replace: Boolean(from) });
        },
      },
    );
  };

  return (
    <form className="form nl-composer" onSubmit={submit} noValidate>
      {from ? (
        <p className="alert alert-warning" role="status">
          {from.status === "draft"
            ? t("newsletters.compose.fromDraft", { subject: from.subject })
            : t("newsletters.compose.fromCopy", { subject: from.subject })}
        </p>
      ) : null}
      <div className="nl-subject">
        <Field
          label={t("newsletters.campaign.subject")}
          error={errors.subject}
          hint={t("newsletters.compose.subjectHint")}
          required
        >
          {(control) => (
            <input
              {...control}
              ref={subjectInput}
              value={subject}
              maxLength={200}
              autoComplete="off"
              onChange={(event) => setSubject(event.target.value)}
            />
          )}
        </Field>
        <PlaceholderMenu
          fields={SUBJECT_FIELDS}
          label={t("newsletters.compose.subjectField")}
          onInsert={insertIntoSubject}
        />
      </div>
      <RichTextEditor
        label={t("newsletters.campaign.body")}
        initialHtml={html}
        onChange={setHtml}
        hint={t("newsletters.compose.bodyHint")}
        error={errors.html_body ?? (bodyMissing ? t("newsletters.compose.bodyMissing") : undefined)}
      />
      <AudiencePicker
        value={audience}
        onChange={(next) => {
          setAudience(next);
          setAudienceMissing(false);
        }}
        errors={{
          ...errors,
          ...(audienceMissing ? { audience: t("newsletters.compose.audienceMissing") } : {}),
        }}
      />
      {earlierFamilies.length ? (
        <p className="nl-muted">
          {t("newsletters.compose.earlierFamilies", { count: earlierFamilies.length })}
        </p>
      ) : null}
      {create.error && !errors.subject && !errors.html_body ? <ProblemAlert error={create.error} /> : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !subject.trim()}>
          {create.isPending ? t("common.saving") : t("newsletters.compose.save")}
        </button>
        <button type="button" className="btn" onClick={() => void navigate(-1)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
