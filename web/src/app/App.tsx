// The app's root: languages, server state, the session, and the pages the caller may open.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";

import { ApiError } from "../api/problem";
import { AuthProvider, useAuth } from "../auth/AuthProvider";
import { Layout } from "../features/shell/Layout";
import { I18nProvider, useI18n } from "../i18n/i18n";
import { Loading, NotAllowed, NotFoundPage, Page } from "../ui/Page";
import { PAGES } from "./routes";

const LoginPage = lazy(() => import("../features/auth/LoginPage"));
const PasswordPage = lazy(() => import("../features/auth/PasswordPage"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or unknown request does not get better by asking again; an outage might.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status < 500),
      staleTime: 5_000,
    },
  },
});

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Screens />
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

function Screens() {
  const { status, isStaff, can } = useAuth();
  if (status === "loading") return <Loading />;
  if (status === "anonymous") return <LoginPage />;
  if (!isStaff) return <StaffOnly />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/contacts" replace />} />
        {PAGES.map(({ path, needs, screen: Screen }) => (
          <Route
            key={path}
            path={path}
            element={can(...needs) ? <Screen /> : <NotAllowed />}
          />
        ))}
        <Route path="/account/password" element={<PasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** A member's login is not offered the staff app. */
function StaffOnly() {
  const { t } = useI18n();
  const { logout } = useAuth();
  return (
    <main id="main" className="login">
      <Page title={t("shell.staffOnly.title")}>
        <p>{t("shell.staffOnly.body")}</p>
        <button type="button" className="btn" onClick={() => void logout()}>
          {t("shell.logout")}
        </button>
      </Page>
    </main>
  );
}
