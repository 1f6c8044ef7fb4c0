// One template in the editor: its HTML and CSS, the merge fields it may use, and a live
// preview (PDF) for sample data or a chosen contact. The preview checks the text as saving
// does, so an unknown merge field shows at the editor, with its line, before it is saved.
import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ChosenContact } from "../../ui/ChosenContact";
import { ContactPicker, type ContactSummary } from "../../ui/ContactPicker";
import { Field } from "../../ui/Field";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { ConfirmDelete, RecordActions, useDeleteRecord } from "../../ui/RecordPage";
import {
  TEMPLATES_KEY,
  previewUrl,
  useCopyTemplate,
  useMergeFields,
  useSaveTemplate,
  useTemplate,
  type Template,
  type TemplateInput,
} from "./lettersApi";
import "./letters.css";

// Typing pauses this long before the preview is made again.
const PREVIEW_DELAY_MS = 700;

interface TemplateProblem {
  line: number;
  message: string;
}

function templateProblems(error: unknown): TemplateProblem[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem.errors ?? []).map((item) => {
    const line = (item as { line?: number }).line ?? 0;
    return { line, message: item.message };
  });
}

export default function LetterTemplatePage() {
  const { templateId = "" } = useParams();
  const template = useTemplate(templateId);
  if (template.isPending) return <Loading />;
  if (!template.data) return <ProblemAlert error={template.error} />;
  return <TemplatePage template={template.data} />;
}

function TemplatePage({ template }: { template: Template }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { remove, asking, ask, stopAsking } = useDeleteRecord({
    request: () =>
      unwrap(
        api.DELETE("/api/v1/billing/letters/templates/{template_id}", {
          params: { path: { template_id: template.id } },
        }),
      ),
    detailKey: [...TEMPLATES_KEY, template.id],
    listKey: TEMPLATES_KEY,
    listPath: "/letters",
  });
  // The shipped templates (they have a key) stay: billing refuses to delete them.
  const mayDelete = template.key === null && can("DELETE", "/billing/letters/templates/{template_id}");
  return (
    <Page
      title={t("letters.editor.title", { name: template.name })}
      actions={
        <>
          <CopyButton template={template} />
          <RecordActions mayEdit={false} mayDelete={mayDelete} onEdit={() => {}} onDelete={ask} />
        </>
      }
    >
      <TemplateEditor key={template.id} template={template} />
      <ConfirmDelete
        open={asking}
        title={t("letters.delete.title")}
        body={t("letters.delete.body", { name: template.name })}
        action={remove}
        onConfirm={() => remove.mutate()}
        onCancel={stopAsking}
      />
    </Page>
  );
}

/** Copies the template as saved into a new one of the club's own and opens that. */
function CopyButton({ template }: { template: Template }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const copy = useCopyTemplate();
  if (!can("POST", "/billing/letters/templates")) return null;
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={copy.isPending}
        onClick={() =>
          copy.mutate(
            {
              name: t("letters.copy.name", { name: template.name }),
              language: template.language as TemplateInput["language"],
              html: template.html,
              css: template.css,
            },
            { onSuccess: (made) => void navigate(`/letters/${made.id}`) },
          )
        }
      >
        {t("letters.copy.action")}
      </button>
      <ProblemAlert error={copy.error} />
    </>
  );
}

function TemplateEditor({ template }: { template: Template }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [name, setName] = useState(template.name);
  const [html, setHtml] = useState(template.html);
  const [css, setCss] = useState(template.css);
  const [contact, setContact] = useState<ContactSummary | null>(null);
  const preview = useLivePreview(html, css, contact?.id);
  const save = useSaveTemplate(template.id);
  const mayEdit = can("PUT", "/billing/letters/templates/{template_id}");
  const problems = templateProblems(save.error ?? preview.error);

  return (
    <div className="letters-editor">
      <form
        className="letters-source"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ name, html, css, language: template.language as "nl" });
        }}
      >
        <Field label={t("letters.editor.name")}>
          {(control) => (
            <input {...control} value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field
          label={t("letters.editor.html")}
          error={problems.length ? t("letters.editor.hasProblems") : undefined}
        >
          {(control) => (
            <textarea
              {...control}
              className="letters-code"
              rows={22}
              spellCheck={false}
              value={html}
              onChange={(e) => {
                // A refused save's errors are about the text before this change.
                save.reset();
                setHtml(e.target.value);
              }}
            />
          )}
        </Field>
        {problems.length ? (
          <div role="alert" aria-label={t("letters.editor.problems")}>
            <ul className="letters-problems">
              {problems.map((problem, index) => (
                <li key={index}>
                  {t("letters.editor.line", { line: problem.line })}: {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Field label={t("letters.editor.css")}>
          {(control) => (
            <textarea
              {...control}
              className="letters-code"
              rows={6}
              spellCheck={false}
              value={css}
              onChange={(e) => setCss(e.target.value)}
            />
          )}
        </Field>
        {mayEdit ? (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {t("common.save")}
            </button>
            {save.isSuccess && !save.isPending ? (
              <span role="status">{t("letters.editor.saved")}</span>
            ) : null}
          </div>
        ) : null}
        {save.error && !problems.length ? <ProblemAlert error={save.error} /> : null}
        <MergeFieldList />
      </form>
      <section className="letters-preview" aria-labelledby="letters-preview-title">
        <h2 id="letters-preview-title">{t("letters.editor.preview")}</h2>
        {contact ? (
          <ChosenContact contact={contact} onOther={() => setContact(null)} />
        ) : (
          <>
            <p className="finder-muted">{t("letters.editor.sample")}</p>
            <ContactPicker label={t("letters.editor.previewFor")} onPick={setContact} />
          </>
        )}
        {preview.url ? (
          <img className="letters-page" alt={t("letters.editor.previewAlt")} src={preview.url} />
        ) : null}
        {preview.error && !problems.length ? <ProblemAlert error={preview.error} /> : null}
      </section>
    </div>
  );
}

/** The preview PDF of the text being edited, made again when typing pauses. */
function useLivePreview(html: string, css: string, contactId: string | undefined) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const abort = new AbortController();
    const timer = window.setTimeout(() => {
      previewUrl({ html, css, ...(contactId ? { contact_id: contactId } : {}) }, abort.signal)
        .then((made) => {
          setError(null);
          setUrl((old) => {
            if (old) URL.revokeObjectURL(old);
            return made;
          });
        })
        .catch((caught: unknown) => {
          if (!abort.signal.aborted) setError(caught);
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [html, css, contactId]);
  return { url, error };
}

function MergeFieldList() {
  const { t } = useI18n();
  const fields = useMergeFields();
  return (
    <details className="letters-fields" open>
      <summary>{t("letters.editor.mergeFields")}</summary>
      <dl>
        {(fields.data?.fields ?? []).map((field) => (
          <div key={field.name}>
            <dt>
              <code>{field.is_list ? `{% for x in ${field.name} %}` : `{{ ${field.name} }}`}</code>
            </dt>
            <dd>
              {field.description}
              {Object.keys(field.attributes).length ? (
                <span className="letters-attributes">
                  {" "}
                  {Object.keys(field.attributes)
                    .map((attribute) => `.${attribute}`)
                    .join(" ")}
                </span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      <p className="finder-muted">
        {t("letters.editor.filters", { filters: (fields.data?.filters ?? []).join(", ") })}
      </p>
    </details>
  );
}
