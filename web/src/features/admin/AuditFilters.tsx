// The audit's filters, each kept in the URL (a new filter starts at page 1): who, method,
// outcome, from and until at once; route and object id when their form is sent.
import { useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import type { ListParams } from "../../ui/useListParams";
import { AUDIT_METHODS, type User } from "./adminApi";
import { STATUS_CODES, useAdminLabels, type Outcome } from "./labels";

const PHONE = "(max-width: 40rem)";

export const AUDIT_FILTERS = ["who", "method", "route", "object", "status", "since", "until"];

/** The routes that change something, from the policy the gateway told us: suggestions for the
 * route filter, which matches a template exactly. */
function useChangingRoutes(): string[] {
  const { me } = useAuth();
  const templates = new Set<string>();
  for (const allowed of me?.allowed ?? []) {
    const [method, template] = allowed.split(" ");
    if (method !== "GET" && template) templates.add(template);
  }
  return [...templates].sort();
}

export function AuditFilters({ params, users }: { params: ListParams; users: User[] }) {
  const { t } = useI18n();
  const labels = useAdminLabels();
  const [, setSearch] = useSearchParams();
  const [route, setRoute] = useState(params.filter("route"));
  const [object, setObject] = useState(params.filter("object"));
  const routes = useChangingRoutes();
  const routeList = useId();
  const count = AUDIT_FILTERS.filter((name) => params.filter(name)).length;
  const active = count > 0;
  // Open at first, except on a phone with no filter set, where it would fill the screen.
  const [open, setOpen] = useState(() => active || !window.matchMedia(PHONE).matches);

  const searchText = (event: FormEvent) => {
    event.preventDefault();
    setSearch((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of [["route", route.trim()], ["object", object.trim()]] as const) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      next.delete("page");
      return next;
    });
  };

  const clear = () => {
    setRoute("");
    setObject("");
    setSearch((current) => {
      const next = new URLSearchParams(current);
      for (const name of [...AUDIT_FILTERS, "page"]) next.delete(name);
      return next;
    });
  };

  return (
    <details
      className="card admin-filters"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>
        {t("admin.audit.filters")}
        {count ? ` (${t("admin.audit.filtersActive", { count })})` : ""}
      </summary>
      <div className="admin-filter-grid">
        <Field label={t("admin.audit.who")}>
          {(control) => (
            <select
              {...control}
              value={params.filter("who")}
              onChange={(event) => params.setFilter("who", event.target.value)}
            >
              <option value="">{t("admin.audit.anyone")}</option>
              {users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.email}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("admin.audit.method")}>
          {(control) => (
            <select
              {...control}
              value={params.filter("method")}
              onChange={(event) => params.setFilter("method", event.target.value)}
            >
              <option value="">{t("admin.audit.anyMethod")}</option>
              {AUDIT_METHODS.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("admin.audit.status")}>
          {(control) => (
            <select
              {...control}
              value={params.filter("status")}
              onChange={(event) => params.setFilter("status", event.target.value)}
            >
              <option value="">{t("admin.audit.anyStatus")}</option>
              {(Object.keys(STATUS_CODES) as Outcome[]).map((outcome) => (
                <optgroup key={outcome} label={labels.outcome(outcome)}>
                  {STATUS_CODES[outcome].map((code) => (
                    <option key={code} value={code}>
                      {`${code} · ${labels.outcome(outcome)}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("admin.audit.since")}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={params.filter("since")}
              onChange={(event) => params.setFilter("since", event.target.value)}
            />
          )}
        </Field>
        <Field label={t("admin.audit.until")}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={params.filter("until")}
              onChange={(event) => params.setFilter("until", event.target.value)}
            />
          )}
        </Field>
      </div>
      <form className="toolbar admin-text-filters" onSubmit={searchText} role="search">
        <Field label={t("admin.audit.route")} hint={t("admin.audit.routeHint")}>
          {(control) => (
            <input
              {...control}
              list={routeList}
              value={route}
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              placeholder="/api/v1/users"
              onChange={(event) => setRoute(event.target.value)}
            />
          )}
        </Field>
        <datalist id={routeList}>
          {routes.map((template) => (
            <option key={template} value={template} />
          ))}
        </datalist>
        <Field label={t("admin.audit.object")}>
          {(control) => (
            <input
              {...control}
              value={object}
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setObject(event.target.value)}
            />
          )}
        </Field>
        <div className="admin-filter-buttons">
          <button type="submit" className="btn btn-primary">
            {t("admin.audit.apply")}
          </button>
          {active ? (
            <button type="button" className="btn" onClick={clear}>
              {t("admin.audit.clear")}
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}
