// A sponsor's logo: the stored one (fetched through the session, as images need the
// Authorization header), a preview of the file chosen before it is uploaded, upload and removal.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";

import { apiFetch } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import { companyKeys, type Company } from "./companyApi";
import { useAuthorizedImage, useObjectUrl } from "./objectUrl";

const ACCEPTED = "image/png,image/jpeg,image/webp,image/svg+xml";

export function CompanyLogo({ company }: { company: Company }) {
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File | null>(null);
  const [removing, setRemoving] = useState(false);
  const previewUrl = useObjectUrl(chosen);
  const path = `/api/v1/contacts/companies/${company.id}/logo`;
  const stored = useAuthorizedImage(
    path,
    companyKeys.logo(company.id, company.logo?.sha256 ?? "none"),
    Boolean(company.logo),
  );

  const refresh = () => queryClient.invalidateQueries({ queryKey: companyKeys.all });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      // No Content-Type of our own: the browser writes the multipart boundary.
      await apiFetch(path, { method: "PUT", body: form });
    },
    onSuccess: async () => {
      setChosen(null);
      if (input.current) input.current.value = "";
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch(path, { method: "DELETE" }),
    onSuccess: async () => {
      setRemoving(false);
      await refresh();
    },
  });
  const mayUpload = can("PUT", "/contacts/companies/{company_id}/logo");
  const mayRemove = can("DELETE", "/contacts/companies/{company_id}/logo");

  return (
    <section className="card company-logo" aria-labelledby="company-logo">
      <h2 id="company-logo">{t("companies.logo.title")}</h2>
      <div className="logo-frames">
        <figure className="logo-frame">
          {company.logo ? (
            stored.url ? (
              <img src={stored.url} alt={t("companies.logo.storedAlt", { name: company.name })} />
            ) : (
              <span className="loading">{t("common.loading")}</span>
            )
          ) : (
            <span className="logo-none">{t("companies.logo.none")}</span>
          )}
          <figcaption>
            {company.logo
              ? t("companies.logo.storedCaption", {
                  date: dateTime(company.logo.uploaded_at),
                  size: number(Math.ceil(company.logo.size / 1024)),
                })
              : t("companies.logo.stored")}
          </figcaption>
        </figure>
        {previewUrl && chosen ? (
          <figure className="logo-frame logo-preview">
            <img src={previewUrl} alt={t("companies.logo.previewAlt", { file: chosen.name })} />
            <figcaption>{t("companies.logo.previewCaption", { file: chosen.name })}</figcaption>
          </figure>
        ) : null}
      </div>
      <ProblemAlert error={stored.error} />
      {upload.error ? <LogoUploadError error={upload.error} /> : null}
      <ProblemAlert error={remove.error} />
      {mayUpload ? (
        <div className="toolbar">
          <div className="field">
            <label htmlFor={inputId}>{t("companies.logo.choose")}</label>
            <input
              ref={input}
              id={inputId}
              type="file"
              accept={ACCEPTED}
              aria-describedby={`${inputId}-hint`}
              onChange={(event) => {
                upload.reset();
                setChosen(event.target.files?.[0] ?? null);
              }}
            />
            <p className="field-hint" id={`${inputId}-hint`}>
              {t("companies.logo.hint")}
            </p>
          </div>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!chosen || upload.isPending}
            onClick={() => chosen && upload.mutate(chosen)}
          >
            {upload.isPending ? t("companies.logo.uploading") : t("companies.logo.upload")}
          </button>
          {mayRemove && company.logo ? (
            <button type="button" className="btn" onClick={() => setRemoving(true)}>
              {t("companies.logo.remove")}
            </button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={removing}
        danger
        title={t("companies.logo.removeTitle")}
        message={t("companies.logo.removeBody", { name: company.name })}
        confirmLabel={t("companies.logo.remove")}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setRemoving(false)}
      />
    </section>
  );
}

/** Too large and not an image get their own words; anything else the problem's. */
function LogoUploadError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && (error.status === 413 || error.status === 415)) {
    return (
      <div className="alert alert-error" role="alert">
        <strong>
          {error.status === 413 ? t("companies.logo.tooLarge") : t("companies.logo.wrongType")}
        </strong>
        {error.problem.detail ? <p>{error.problem.detail}</p> : null}
      </div>
    );
  }
  return <ProblemAlert error={error} />;
}
