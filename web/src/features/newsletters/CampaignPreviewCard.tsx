// The campaign as one recipient gets it (the service fills the fields and adds their
// unsubscribe link), or as saved when nobody is chosen. The mail's HTML is shown only inside a
// sandboxed iframe (no scripts, its own opaque origin), never in the app's own document.
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { ProblemAlert } from "../../ui/Problem";
import { usePreview, type Campaign } from "./newslettersApi";

/** A whole document for the frame: UTF-8 and readable type; no script, no outside loads. */
function mailDocument(html: string, lang: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body>${html}</body></html>`;
}

export function CampaignPreviewCard({ campaign }: { campaign: Campaign }) {
  const { t, locale } = useI18n();
  const [recipient, setRecipient] = useState<{ id: string; name: string } | null>(null);
  const preview = usePreview(campaign.id, recipient?.id ?? null);
  const shown = recipient ? preview.data : undefined;

  return (
    <section className="card nl-card" aria-labelledby="nl-preview-heading">
      <h2 id="nl-preview-heading">{t("newsletters.preview.heading")}</h2>
      <div className="nl-preview-pick">
        <ContactPicker
          label={t("newsletters.preview.recipient")}
          onPick={(contact) => setRecipient({ id: contact.id, name: contactName(contact) })}
        />
        {recipient ? (
          <p>
            {t("newsletters.preview.for", { name: recipient.name })}{" "}
            <button type="button" className="btn-link" onClick={() => setRecipient(null)}>
              {t("newsletters.preview.asSaved")}
            </button>
          </p>
        ) : (
          <p className="nl-muted">{t("newsletters.preview.savedHint")}</p>
        )}
      </div>
      <ProblemAlert error={recipient ? preview.error : null} />
      {recipient && preview.isPending ? <p className="loading">{t("common.loading")}</p> : null}
      <dl className="nl-facts">
        {shown ? (
          <>
            <dt>{t("newsletters.preview.to")}</dt>
            <dd>{shown.to}</dd>
          </>
        ) : null}
        <dt>{t("newsletters.campaign.subject")}</dt>
        <dd className="nl-preview-subject">{shown ? shown.subject : campaign.subject}</dd>
      </dl>
      <iframe
        className="nl-preview-frame"
        title={t("newsletters.preview.frameTitle")}
        sandbox=""
        srcDoc={mailDocument(shown ? shown.html : campaign.html_body, locale)}
      />
      {shown?.unsubscribe_url ? (
        <p className="nl-muted nl-break">
          {t("newsletters.preview.unsubscribe")} <code>{shown.unsubscribe_url}</code>
        </p>
      ) : null}
      {shown ? (
        <details className="details">
          <summary>{t("newsletters.preview.text")}</summary>
          <pre className="nl-preview-text">{shown.text}</pre>
        </details>
      ) : null}
    </section>
  );
}
