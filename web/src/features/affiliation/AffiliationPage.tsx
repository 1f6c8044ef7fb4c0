// /affiliation — the federation affiliation export: profiles (which columns under which
// headers, the members of which types, CSV or XLSX), running a full export or the changes
// since the last one, and each profile's history with its files to download again.
import { useState } from "react";
import { useSearchParams } from "react-router";

import { download } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page, Unavailable } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { ProfileForm } from "./ProfileForm";
import { useHistory, useProfiles, useRunExport, type ExportMode, type Profile } from "./affiliationApi";
import "./affiliation.css";

export default function AffiliationPage() {
  const { t } = useI18n();
  const profiles = useProfiles();
  const [search, setSearch] = useSearchParams();
  const chosenId = search.get("profile");
  const creating = search.get("new") === "1";
  const chosen = profiles.data?.find((profile) => profile.id === chosenId) ?? null;
  const choose = (id: string | null, isNew = false) =>
    setSearch(isNew ? { new: "1" } : id ? { profile: id } : {});

  if (profiles.isPending) return <Loading />;
  if (profiles.isError) return <Unavailable what={t("affiliation.title")} />;

  return (
    <Page
      title={t("affiliation.title")}
      actions={
        <button type="button" className="btn btn-primary" onClick={() => choose(null, true)}>
          {t("affiliation.newProfile")}
        </button>
      }
    >
      <p>{t("affiliation.intro")}</p>
      <div className="af-layout">
        <nav className="card af-profiles" aria-label={t("affiliation.profiles")}>
          <h2>{t("affiliation.profiles")}</h2>
          {profiles.data.length === 0 ? <p className="af-muted">{t("affiliation.noProfiles")}</p> : null}
          <ul>
            {profiles.data.map((profile) => (
              <li key={profile.id}>
                <button
                  type="button"
                  className="btn-link"
                  aria-current={profile.id === chosenId ? "true" : undefined}
                  onClick={() => choose(profile.id)}
                >
                  {profile.name}
                </button>
                <span className="af-muted"> · {profile.federation}</span>
              </li>
            ))}
          </ul>
        </nav>
        <div className="af-main">
          {creating ? (
            <ProfileForm key="new" profile={null} onSaved={(saved) => choose(saved.id)} />
          ) : chosen ? (
            <>
              <ExportPanel profile={chosen} />
              <ProfileForm key={chosen.id} profile={chosen} onSaved={() => undefined} />
            </>
          ) : (
            <p className="card">{t("affiliation.choose")}</p>
          )}
        </div>
      </div>
    </Page>
  );
}

function ExportPanel({ profile }: { profile: Profile }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [mode, setMode] = useState<ExportMode>(profile.last_export ? "delta" : "full");
  const [on, setOn] = useState("");
  const run = useRunExport(profile.id);
  const mayRun = can("POST", "/memberships/affiliation/profiles/{profile_id}/exports");

  return (
    <section className="card" aria-labelledby="af-export-title">
      <h2 id="af-export-title">{t("affiliation.export.title", { name: profile.name })}</h2>
      {mayRun ? (
        <form
          className="af-run"
          onSubmit={(event) => {
            event.preventDefault();
            run.mutate({ mode, on: on || null });
          }}
        >
          <fieldset className="af-fieldset">
            <legend>{t("affiliation.export.mode")}</legend>
            {(["full", "delta"] as const).map((choice) => (
              <label key={choice} className="af-inline">
                <input
                  type="radio"
                  name="mode"
                  value={choice}
                  checked={mode === choice}
                  onChange={() => setMode(choice)}
                />{" "}
                {t(choice === "full" ? "affiliation.mode.full" : "affiliation.mode.delta")}
              </label>
            ))}
          </fieldset>
          <label className="af-inline">
            {t("affiliation.export.on")}{" "}
            <input type="date" value={on} onChange={(event) => setOn(event.target.value)} />
          </label>
          <button type="submit" className="btn btn-primary" disabled={run.isPending}>
            {run.isPending ? t("affiliation.export.running") : t("affiliation.export.run")}
          </button>
        </form>
      ) : null}
      <ProblemAlert error={run.error} />
      {run.data ? (
        <p role="status" className="af-done">
          {t("affiliation.export.done", { number: run.data.number, rows: run.data.rows })}
        </p>
      ) : null}
      <History profileId={profile.id} />
    </section>
  );
}

function History({ profileId }: { profileId: string }) {
  const { t, dateTime, date, number } = useI18n();
  const history = useHistory(profileId);
  const [error, setError] = useState<unknown>(null);
  const count = (value: number | null | undefined) => (value == null ? "—" : number(value));

  if (history.isPending) return <Loading />;
  if (history.isError) return <Unavailable what={t("affiliation.history.title")} />;
  return (
    <>
      <h3>{t("affiliation.history.title")}</h3>
      <ProblemAlert error={error} />
      <div className="table-wrap">
        <table className="data-table af-history">
          <thead>
            <tr>
              <th scope="col">{t("affiliation.history.number")}</th>
              <th scope="col">{t("affiliation.history.made")}</th>
              <th scope="col">{t("affiliation.history.mode")}</th>
              <th scope="col">{t("affiliation.history.on")}</th>
              <th scope="col">{t("affiliation.history.members")}</th>
              <th scope="col">{t("affiliation.history.rows")}</th>
              <th scope="col">{t("affiliation.change.new")}</th>
              <th scope="col">{t("affiliation.change.changed")}</th>
              <th scope="col">{t("affiliation.change.ended")}</th>
              <th scope="col">{t("affiliation.history.file")}</th>
            </tr>
          </thead>
          <tbody>
            {history.data.items.length === 0 ? (
              <tr>
                <td colSpan={10} className="empty">
                  {t("affiliation.history.empty")}
                </td>
              </tr>
            ) : null}
            {history.data.items.map((made) => (
              <tr key={made.id}>
                <td>{made.number}</td>
                <td>{dateTime(made.created_at)}</td>
                <td>{t(made.mode === "full" ? "affiliation.history.full" : "affiliation.history.delta")}</td>
                <td>{date(made.on)}</td>
                <td>{number(made.members)}</td>
                <td>{number(made.rows)}</td>
                <td>{count(made.new)}</td>
                <td>{count(made.changed)}</td>
                <td>{count(made.ended)}</td>
                <td>
                  <button
                    type="button"
                    className="btn-link"
                    aria-label={t("affiliation.history.download", { name: made.file_name })}
                    title={made.file_name}
                    onClick={() => {
                      setError(null);
                      download(`/api/v1/memberships/affiliation/exports/${made.id}/file`, made.file_name).catch(
                        setError,
                      );
                    }}
                  >
                    {t("affiliation.history.downloadShort")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
