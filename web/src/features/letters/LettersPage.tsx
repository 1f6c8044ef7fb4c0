// The letter templates: the three shipped ones (attestation for the health insurer, welcome,
// payment reminder) and the club's own, each opening in the editor.
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useTemplates } from "./lettersApi";
import "./letters.css";

export default function LettersPage() {
  const { t, date } = useI18n();
  const templates = useTemplates();
  return (
    <Page title={t("letters.list.title")}>
      <p>{t("letters.list.intro")}</p>
      <ProblemAlert error={templates.error} />
      {templates.isPending ? <Loading /> : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("letters.list.name")}</th>
            <th scope="col">{t("letters.list.language")}</th>
            <th scope="col">{t("letters.list.updated")}</th>
          </tr>
        </thead>
        <tbody>
          {(templates.data ?? []).map((template) => (
            <tr key={template.id}>
              <td>
                <Link to={`/letters/${template.id}`}>{template.name}</Link>
              </td>
              <td>{template.language}</td>
              <td>{date(template.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
